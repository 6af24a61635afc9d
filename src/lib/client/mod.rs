//! Clients of a running server: the admin API over HTTP ([`AdminClient`]), and
//! [`Users`], which runs `ros user` against either that API or, offline, a stopped
//! server's data directory, with one set of operations for both.

mod admin;
mod users;

pub use admin::{AdminClient, ClientError, ServerProblem};
pub use users::{server_url, Users, UsersError};
