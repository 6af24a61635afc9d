//! Object state: what a Realm holds, and applying changesets to it.
//!
//! The `objects` module sits between `changeset` (the instruction model) and the
//! per-Realm store: it owns the in-memory model of a Realm's content — classes
//! and their properties, top-level objects by primary key, field values, lists,
//! sets, dictionaries, links, embedded objects and counters — and the pure
//! function that applies a changeset to it ([`apply`]), with the checks of
//! realm-core's instruction applier (`docs/merge.md` §12). An instruction that
//! does not fit the state is an [`ApplyError`]: the server rejects the upload
//! with `bad_changeset`, never panics.
//!
//! Choices worth knowing:
//! * Every object carries every property of its class (defaults until written),
//!   so equal content means equal states ([`State`] is `Eq`); this is what the
//!   convergence tests compare.
//! * Links are stored by target key and resolved when read. A link whose target
//!   is gone is realm-core's unresolved link to a tombstone: it keeps its list
//!   position (indices in instructions count it) and comes back to life if the
//!   key is created again; readers ([`final_state`]) do not see it.
//! * [`final_state`] renders the exact JSON of the captured vectors'
//!   `final-state.json`, so tests compare states with real clients' results.

mod collections;
mod error;
mod path;
mod render;
mod schema;
mod snapshot;
mod state;
mod value;
mod write;

pub use error::{ApplyError, ApplyErrorKind, PayloadTypeName, BAD_CHANGESET};
pub use render::final_state;
pub use schema::{Class, Property};
pub use snapshot::{
    decode_snapshot, encode_snapshot, SnapshotError, MAX_SNAPSHOT_DEPTH, SNAPSHOT_FORMAT_VERSION,
    SNAPSHOT_MAGIC,
};
pub use state::{apply, State};
pub use value::{Object, ObjectKey, Value};
