//! Clients of a running server: the admin API over HTTP ([`AdminClient`]), and
//! [`Users`] and [`Sharing`], which run `ros user`, `ros permission` and `ros
//! realm` against either that API or, offline, a stopped server's data directory,
//! with one set of operations for both.

mod admin;
pub mod app_login;
pub mod probe;
pub mod probe_bench;
mod sharing;
pub mod sync;
mod users;

pub use admin::{AdminClient, ClientError, ServerProblem};
pub use sharing::{ChangeRequest, Sharing, SharingClientError};
pub use users::{server_url, Users, UsersError};
