//! Fleet bench (being written).
fn main() {}
