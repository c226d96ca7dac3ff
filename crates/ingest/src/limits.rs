//! How far a compressed input may expand before it is refused as a
//! decompression bomb (`--max-expansion`, `--max-input-size`).

use std::fmt;
use std::str::FromStr;

/// Limits on what one compressed input (a `.gz` file, a `.tar.gz`, a gzip
/// member of a tar) may expand to. Plain files are read as they are: the
/// readers stream, so their size costs time, not memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Decompressed bytes per compressed byte, checked once more than
    /// [`InputLimits::RATIO_FLOOR`] bytes came out (a small, very regular
    /// file may compress better than this without harm).
    pub max_expansion: u32,
    /// Decompressed bytes one compressed input may hold.
    pub max_input_size: ByteSize,
}

impl InputLimits {
    /// The ratio is not checked below this many decompressed bytes (16 MiB).
    pub const RATIO_FLOOR: u64 = 16 << 20;
}

impl Default for InputLimits {
    /// At most 500 times the compressed size and at most 4 GiB. Deflate
    /// cannot expand more than about 1,030 times; a bomb reaches that, while
    /// the most repetitive real inventories (one lsusb line 300,000 times)
    /// stay near 340.
    fn default() -> Self {
        Self {
            max_expansion: 500,
            max_input_size: ByteSize(4 << 30),
        }
    }
}

/// A number of bytes, written `4G`, `512M`, `64K` or `1000000` (powers of 1024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

/// Why a size was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}: expected a number of bytes, optionally followed by K, M, G or T (e.g. 4G)")]
pub struct ByteSizeError(String);

impl FromStr for ByteSize {
    type Err = ByteSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
        let (digits, shift) = match t.char_indices().last() {
            Some((i, c)) if c.is_ascii_alphabetic() => {
                let shift = match c.to_ascii_uppercase() {
                    'K' => 10,
                    'M' => 20,
                    'G' => 30,
                    'T' => 40,
                    _ => return Err(ByteSizeError(s.to_owned())),
                };
                (&t[..i], shift)
            }
            _ => (t, 0),
        };
        digits
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(1 << shift))
            .filter(|&n| n > 0)
            .map(ByteSize)
            .ok_or_else(|| ByteSizeError(s.to_owned()))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] {
            if self.0 >= 1 << shift && self.0.is_multiple_of(1 << shift) {
                return write!(f, "{}{unit}", self.0 >> shift);
            }
        }
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_units_and_print_back() {
        assert_eq!("4G".parse(), Ok(ByteSize(4 << 30)));
        assert_eq!("512m".parse(), Ok(ByteSize(512 << 20)));
        assert_eq!("64KB".parse(), Ok(ByteSize(64 << 10)));
        assert_eq!("1000000".parse(), Ok(ByteSize(1_000_000)));
        assert!("0".parse::<ByteSize>().is_err());
        assert!("4X".parse::<ByteSize>().is_err());
        assert!("99999999999T".parse::<ByteSize>().is_err());
        assert_eq!(ByteSize(4 << 30).to_string(), "4G");
        assert_eq!(ByteSize(1_000_000).to_string(), "1000000");
    }
}
