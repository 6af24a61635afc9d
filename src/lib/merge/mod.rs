//! Operational transformation: merging concurrent changesets exactly as
//! realm-core does (`docs/merge.md`).
//!
//! * [`merge`] is realm-core's `Transformer::merge_changesets`: local changesets
//!   (the major side) and incoming ones (the minor side) are transformed against
//!   each other in one pass, every pair through the rules of §5–§6 (one small
//!   function per rule, named after it, in `merge/rules/`), with ties broken by
//!   [`Discriminant`] (origin timestamp, then origin file ident).
//! * [`integrate_uploads`] is the server's use of it (§8–§9): an upload is
//!   rebased over the history entries its client had not seen, in that client
//!   file's reciprocal form, and the changed reciprocal forms come back for
//!   storage.
//! * [`integrate_downloads`] is the client's use (§11), for our own client and
//!   for tests that simulate real clients.
//!
//! Everything here is a pure function over the `changeset` model. Two
//! changesets that cannot be reconciled give a [`TransformError`], which the
//! server reports as `bad_changeset` ([`SyncErrorCode`]); untrusted input never
//! panics (indices and sizes wrap like realm-core's `uint32_t` instead).
//!
//! Reference quirks (§14) are decided here: Q1 (nested ArrayMove) follows
//! realm-core unless [`MergeOptions::corrected_nested_move`] is set, Q3
//! (EraseColumn against concurrent collection writes) unless
//! [`MergeOptions::corrected_erase_column`] is set; Q2
//! (SetErase × SetErase) compares values with `same_payload`; Q5/Q6 inputs that
//! realm-core leaves unchecked or asserts on are transform errors where a rule
//! depends on them.
//!
//! Two more combinations diverge under realm-core's rules, found by our
//! convergence simulation and not listed in §14; we follow realm-core there
//! (pinned in `tests/merge_golden/quirks.rs`): re-creating the collection a Mixed
//! slot already holds (a no-op when applied, a fresh collection when it wins a
//! merge), and a Clear of a collection held as a list element (never shifted
//! against concurrent insertions, erasures or moves in that list, as
//! `Clear × Array*` are no-op pairs of equal path length).

mod client;
mod compare;
mod discriminant;
mod driver;
mod error;
mod rules;
mod server;

#[cfg(test)]
mod tests;

pub use client::{integrate_downloads, Download, LocalChangeset};
pub use discriminant::{Discriminant, SERVER_FILE_IDENT};
pub use driver::{merge, MergeInput, Merged, Transformed};
pub use error::{MergeError, Rule, SyncErrorCode, TransformError};
pub use server::{
    integrate_uploads, History, HistoryEntry, Integration, ReciprocalHistory, Upload,
};

/// Choices where realm-core's behaviour is a known defect (`docs/merge.md` §14).
///
/// The default is bit-compatible with realm-core, which every real client runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct MergeOptions {
    /// Quirk Q1: when a list element is moved on one side and something inside
    /// an element of the same list is written on the other, realm-core rewrites
    /// the move instead of the nested path (`MergeNested<ArrayMove>`), which ends
    /// in a bad changeset or a divergence. `true` applies the intended rule:
    /// the nested path's index follows the moved element. Only for peers that
    /// all use it (our own client, tests).
    pub corrected_nested_move: bool,
    /// Quirk Q3: realm-core's EraseColumn removes only concurrent Updates and
    /// AddColumns of the property; concurrent increments, list, set and Clear
    /// instructions on it survive and fail to apply (bad changeset). `true`
    /// discards every concurrent path instruction on the erased property, as
    /// P10 does for Updates.
    pub corrected_erase_column: bool,
}
