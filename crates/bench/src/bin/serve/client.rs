//! A lean HTTP/1.1 load client: each keep-alive connection writes the same
//! prebuilt request bytes, keeps `depth` requests in flight (pipelining),
//! and reads each response by its `Content-Length`, timing it from the
//! moment its request was written. Nothing is parsed beyond the status line
//! and the length, so the client's CPU per request stays small beside the
//! server's.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What one connection measured.
#[derive(Debug, Default)]
pub struct Stats {
    /// The time of each answered request (2xx or not).
    pub latencies: Vec<Duration>,
    /// Requests answered with a status other than 200.
    pub errors: u64,
}

/// The bytes of a `POST` of `body` to `path` with a bearer token.
pub fn request_bytes(path: &str, token: &str, body: &str) -> Arc<[u8]> {
    format!(
        "POST {path} HTTP/1.1\r\nhost: bench\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into()
}

/// Drives one connection until `until`, then waits for the requests in flight.
pub async fn connection(
    addr: SocketAddr,
    request: Arc<[u8]>,
    depth: usize,
    until: Instant,
) -> io::Result<Stats> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut stats = Stats {
        latencies: Vec::with_capacity(200_000),
        errors: 0,
    };
    let mut sent: VecDeque<Instant> = VecDeque::with_capacity(depth);
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    for _ in 0..depth.max(1) {
        stream.write_all(&request).await?;
        sent.push_back(Instant::now());
    }
    while let Some(t) = sent.pop_front() {
        let status = read_response(&mut stream, &mut buf).await?;
        stats.latencies.push(t.elapsed());
        if status != 200 {
            stats.errors += 1;
        }
        if Instant::now() < until {
            stream.write_all(&request).await?;
            sent.push_back(Instant::now());
        }
    }
    Ok(stats)
}

/// Reads one response into `buf` (keeping bytes of the next), returning its status.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<u16> {
    loop {
        if let Some((status, len)) = parse(buf)?
            && buf.len() >= len
        {
            buf.drain(..len);
            return Ok(status);
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The status and whole length (head and body) of the response at the start
/// of `buf`, once its head is complete.
fn parse(buf: &[u8]) -> io::Result<Option<(u16, usize)>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&buf[..end]).map_err(io::Error::other)?;
    let bad = || io::Error::other(format!("unexpected response head: {head:?}"));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .ok_or_else(bad)?;
    Ok(Some((status, end + 4 + length)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_framed_by_its_length() -> io::Result<()> {
        let two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 401 Unauthorized\r\n";
        assert_eq!(parse(two)?, Some((200, 40)));
        assert_eq!(parse(&two[40..])?, None);
        Ok(())
    }
}
