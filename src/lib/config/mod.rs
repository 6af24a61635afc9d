//! The server's configuration: `configuration.yml`, the `ROS_*` environment and the
//! command-line overrides, merged in that order over built-in defaults.
//!
//! Two layers, as in ripgrep: a raw layer that keeps what the operator literally
//! wrote together with where (file, line, column; environment variable; flag), and
//! the typed [`Config`] below, derived from it, in which every value is checked.
//! Diagnostics are produced from the raw layer so they can point at the spot.

mod model;

pub use model::*;
