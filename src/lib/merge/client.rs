//! The client's side of the same merge (`docs/merge.md` §11): downloaded server
//! changesets are rebased over the client's own changesets that the server had
//! not integrated yet, keeping a reciprocal form of each.

use std::borrow::Cow;

use crate::changeset::Changeset;

use super::discriminant::{Discriminant, SERVER_FILE_IDENT};
use super::driver::{merge, MergeInput};
use super::error::TransformError;
use super::MergeOptions;

/// A local changeset of a client, in the form the next downloaded changeset
/// must meet it: its original form until a merge changes it, then its
/// reciprocal.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalChangeset {
    pub client_version: u64,
    pub origin_timestamp: u64,
    pub reciprocal: Changeset,
}

/// One changeset of a DOWNLOAD message (`docs/protocol.md` §4.4).
#[derive(Clone, Copy, Debug)]
pub struct Download<'a> {
    pub server_version: u64,
    /// The receiving client's last version the server had integrated before it.
    pub last_integrated_client_version: u64,
    pub origin_timestamp: u64,
    /// Never 0 on the wire (the server sends 1 for its own changes).
    pub origin_file_ident: u64,
    pub changeset: &'a Changeset,
}

/// Integrates downloaded changesets, in order, on client file `own_file_ident`:
/// each run of consecutive downloads with the same
/// `last_integrated_client_version` is merged, as one group, with the local
/// changesets the server had not integrated when it produced them
/// (`client_version > last_integrated_client_version`, non-empty), and comes
/// back in the form to apply to the local state. Grouping is realm-core's form
/// and gives what one download at a time gives (the server side's §8.4
/// argument); a client that was offline meets each local changeset once per
/// group instead of once per download. The reciprocal forms in `local` are
/// updated only if every download merges.
pub fn integrate_downloads(
    local: &mut [LocalChangeset],
    own_file_ident: u64,
    downloads: &[Download<'_>],
    options: &MergeOptions,
) -> Result<Vec<Changeset>, TransformError> {
    let mut forms: Vec<Changeset> = local.iter().map(|l| l.reciprocal.clone()).collect();
    let mut out = Vec::with_capacity(downloads.len());
    for group in downloads
        .chunk_by(|a, b| a.last_integrated_client_version == b.last_integrated_client_version)
    {
        let Some(first) = group.first() else { continue };
        let window: Vec<usize> = local
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                l.client_version > first.last_integrated_client_version
                    && forms.get(*i).is_some_and(|f| !f.instructions.is_empty())
            })
            .map(|(i, _)| i)
            .collect();
        if window.is_empty() {
            out.extend(group.iter().map(|d| d.changeset.clone()));
            continue;
        }
        let inputs: Vec<MergeInput<'_>> = window
            .iter()
            .filter_map(|&i| {
                Some(MergeInput {
                    changeset: forms.get(i)?,
                    discriminant: Discriminant::new(local.get(i)?.origin_timestamp, own_file_ident),
                })
            })
            .collect();
        let incoming: Vec<MergeInput<'_>> = group
            .iter()
            .map(|d| {
                let origin = if d.origin_file_ident == 0 {
                    SERVER_FILE_IDENT
                } else {
                    d.origin_file_ident
                };
                MergeInput {
                    changeset: d.changeset,
                    discriminant: Discriminant::new(d.origin_timestamp, origin),
                }
            })
            .collect();
        let merged = merge(&inputs, &incoming, options)?;
        out.extend(
            merged
                .incoming
                .into_iter()
                .map(|t| t.changeset.into_owned()),
        );
        // A borrowed form is the one already in `forms`.
        let rewritten: Vec<(usize, Changeset)> = window
            .into_iter()
            .zip(merged.local)
            .filter_map(|(i, t)| match t.changeset {
                Cow::Owned(form) => Some((i, form)),
                Cow::Borrowed(_) => None,
            })
            .collect();
        for (i, form) in rewritten {
            if let Some(slot) = forms.get_mut(i) {
                *slot = form;
            }
        }
    }
    for (l, form) in local.iter_mut().zip(forms) {
        l.reciprocal = form;
    }
    Ok(out)
}
