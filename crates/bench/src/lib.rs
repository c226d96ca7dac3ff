//! Benchmark programs (see `src/bin/`); each prints its figures.
