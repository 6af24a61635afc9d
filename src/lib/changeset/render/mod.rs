//! Human- and script-readable renderings of a [`Changeset`](super::Changeset).
//!
//! [`to_text`] reproduces the `.txt` line format of the captured vectors, so tests
//! compare decoded changesets with them line by line; [`to_json`] is the stable
//! script interface documented in `docs/changeset-json.md`.

mod json;
pub(crate) mod number;
mod text;

pub use json::to_json;
pub use text::to_text;
