//! Exit codes shared by every subcommand (design.md, CLI conventions).

/// Success.
pub const OK: i32 = 0;
/// The check or operation ran and failed.
pub const FAILED: i32 = 1;
/// Usage or configuration error.
pub const USAGE: i32 = 2;
/// The server could not be reached.
pub const UNREACHABLE: i32 = 3;
