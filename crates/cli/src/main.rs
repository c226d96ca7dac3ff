//! The `supplyscreen` binary: reads the clock once, runs the command, maps
//! the result to an exit code.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a scan makes and frees many small
/// strings per component, and glibc's malloc and free took about a sixth of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let now = jiff::ZonedDateTime::now();
    let today = now.date();
    let mut out = anstream::AutoStream::auto(std::io::stdout());
    let mut err = anstream::AutoStream::auto(std::io::stderr());
    let env = supplyscreen_cli::Environment::system(today).with_now(now.timestamp());
    // Reports in data formats skip the style-stripping stream.
    let mut data = std::io::stdout();
    supplyscreen_cli::run_with_data(
        std::env::args_os(),
        &env,
        &mut out,
        Some(&mut data),
        &mut err,
    )
    .into()
}
