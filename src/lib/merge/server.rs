//! The server's side: integrating uploaded changesets into the history
//! (`docs/merge.md` §8, §9).

use std::collections::BTreeMap;

use crate::changeset::Changeset;

use super::discriminant::{Discriminant, SERVER_FILE_IDENT};
use super::driver::{merge, MergeInput};
use super::error::MergeError;
use super::MergeOptions;

/// One entry of the server history (§9.1).
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// The producer's file ident; 0 for a change made on the server itself.
    pub origin_file_ident: u64,
    /// The version this changeset produced on the client that uploaded it (0 for
    /// server-made changes).
    pub client_version: u64,
    pub origin_timestamp: u64,
    /// The changeset as stored: transformed, possibly empty.
    pub changeset: Changeset,
}

impl HistoryEntry {
    /// The entry's discriminant (§2): a server-made change counts as file 1.
    pub fn discriminant(&self) -> Discriminant {
        Discriminant::of_origin(
            self.origin_timestamp,
            self.origin_file_ident,
            SERVER_FILE_IDENT,
        )
    }
}

/// The server history: `entries[i]` produced server version `base_version + i + 1`.
#[derive(Clone, Copy, Debug)]
pub struct History<'a> {
    /// The version before the first entry held (entries up to it were compacted
    /// away); 0 for a complete history.
    pub base_version: u64,
    pub entries: &'a [HistoryEntry],
}

impl<'a> History<'a> {
    /// The latest server version.
    pub fn current_version(&self) -> u64 {
        self.base_version.saturating_add(self.entries.len() as u64)
    }

    /// The entry that produced server version `version`.
    pub fn entry(&self, version: u64) -> Option<&'a HistoryEntry> {
        let offset = version.checked_sub(self.base_version)?.checked_sub(1)?;
        self.entries.get(usize::try_from(offset).ok()?)
    }
}

/// One client file's reciprocal history (§9.2–§9.3): for server versions after
/// `base_version`, the form of a history entry after being transformed against
/// that client's later uploads. An absent entry means "same as the history"; a
/// present empty one means "nothing left".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReciprocalHistory {
    /// The last server version the client has integrated (`rh_base_version`).
    pub base_version: u64,
    pub entries: BTreeMap<u64, Changeset>,
}

impl ReciprocalHistory {
    /// Bookkeeping after an upload whose progress cursor says the client has
    /// integrated `server_version` (§8.5): entries up to it are no longer needed.
    pub fn advance(&mut self, server_version: u64) {
        if server_version > self.base_version {
            self.entries.retain(|v, _| *v > server_version);
            self.base_version = server_version;
        }
    }
}

/// One changeset of an UPLOAD message (`docs/protocol.md` §4.4).
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    pub client_version: u64,
    /// The server version the client had integrated when it made the changeset.
    pub last_integrated_server_version: u64,
    pub origin_timestamp: u64,
    /// 0 (the uploader made it), or the producer behind a relaying subserver.
    pub origin_file_ident: u64,
    pub changeset: &'a Changeset,
}

/// What integrating uploads produces: the history entries to append, in order
/// (server versions `current + 1`, `current + 2`, …), and the reciprocal
/// entries the merges changed, to store for the uploading client file.
#[derive(Clone, Debug, PartialEq)]
pub struct Integration {
    pub entries: Vec<HistoryEntry>,
    pub reciprocal_updates: BTreeMap<u64, Changeset>,
}

/// Integrates the changesets of one UPLOAD from client file `client_file_ident`
/// (§8.4): each run of consecutive uploads with the same last integrated
/// server version is merged, as one group, with the history entries its client
/// had not seen (§8.2: after that version, not produced by this client,
/// non-empty), in their reciprocal form where this client file has one (§8.3),
/// ties broken by (origin timestamp, origin file ident).
///
/// Merging a group at once is realm-core's grouped form; §8.4 shows it gives
/// what one upload at a time gives, and it meets each window entry once per
/// group instead of once per upload (a client that worked offline sends
/// thousands of changesets on the same base). The history and `reciprocal` are
/// only read: the caller appends `Integration::entries` (applying each to its
/// state) and stores the updates, all in one transaction; an error means
/// nothing of the upload is kept (§8.6).
pub fn integrate_uploads(
    history: History<'_>,
    reciprocal: &ReciprocalHistory,
    client_file_ident: u64,
    uploads: &[Upload<'_>],
    options: &MergeOptions,
) -> Result<Integration, MergeError> {
    let current = history.current_version();
    let mut updates: BTreeMap<u64, Changeset> = BTreeMap::new();
    let mut entries = Vec::with_capacity(uploads.len());
    let origin_of = |upload: &Upload<'_>| {
        if upload.origin_file_ident == 0 {
            client_file_ident
        } else {
            upload.origin_file_ident
        }
    };
    for group in uploads
        .chunk_by(|a, b| a.last_integrated_server_version == b.last_integrated_server_version)
    {
        let Some(first) = group.first() else { continue };
        let lisv = first.last_integrated_server_version;
        if lisv < history.base_version || lisv < reciprocal.base_version || lisv > current {
            return Err(MergeError::ServerVersion {
                last_integrated: lisv,
                base: history.base_version,
                reciprocal_base: reciprocal.base_version,
                current,
            });
        }
        // `lisv < v <= current`, written so that no bound can overflow.
        let window: Vec<(u64, &HistoryEntry)> = (lisv..current)
            .map(|v| v + 1)
            .filter_map(|v| history.entry(v).map(|e| (v, e)))
            .filter(|(_, e)| {
                e.origin_file_ident != client_file_ident && !e.changeset.instructions.is_empty()
            })
            .collect();
        let transformed: Vec<Changeset> = if window.is_empty() {
            group.iter().map(|u| u.changeset.clone()).collect()
        } else {
            let local: Vec<MergeInput<'_>> = window
                .iter()
                .map(|(v, e)| MergeInput {
                    changeset: updates
                        .get(v)
                        .or_else(|| reciprocal.entries.get(v))
                        .unwrap_or(&e.changeset),
                    discriminant: e.discriminant(),
                })
                .collect();
            let incoming: Vec<MergeInput<'_>> = group
                .iter()
                .map(|u| MergeInput {
                    changeset: u.changeset,
                    discriminant: Discriminant::new(u.origin_timestamp, origin_of(u)),
                })
                .collect();
            let merged = merge(&local, &incoming, options)?;
            let changed: Vec<(u64, Changeset)> = window
                .iter()
                .zip(merged.local)
                .filter(|(_, t)| t.modified)
                .map(|((v, _), t)| (*v, t.changeset.into_owned()))
                .collect();
            let transformed = merged
                .incoming
                .into_iter()
                .map(|t| t.changeset.into_owned())
                .collect();
            updates.extend(changed);
            transformed
        };
        for (upload, changeset) in group.iter().zip(transformed) {
            entries.push(HistoryEntry {
                origin_file_ident: origin_of(upload),
                client_version: upload.client_version,
                origin_timestamp: upload.origin_timestamp,
                changeset,
            });
        }
    }
    Ok(Integration {
        entries,
        reciprocal_updates: updates,
    })
}
