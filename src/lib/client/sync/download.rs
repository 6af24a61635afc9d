//! A DOWNLOAD on the client: the checks of `docs/protocol.md` §8.3, then the
//! merge with local changesets the server had not seen (`docs/merge.md` §11).
//! Pure functions; `RealmClient` commits their result only when all succeed.

use crate::changeset::{decode, Changeset};
use crate::merge::{self, integrate_downloads, LocalChangeset, MergeOptions};
use crate::objects::State;
use crate::protocol::{ClientVersion, Download, DownloadEntry, FileIdent};

use super::errors::{ServerRule, Violation};
use super::history::SyncProgress;

fn broken(rule: u8, detail: String) -> Violation {
    Violation {
        rule: ServerRule::Download(rule),
        detail,
    }
}

/// §8.3 rules 2–12 for `d`, given the client's last integrated progress `prev`,
/// its newest version and its own file ident. (Rule 1, the session state, is
/// the caller's; 13 and 14 are the parser's.)
pub fn check_download(
    prev: &SyncProgress,
    newest_local: ClientVersion,
    own: FileIdent,
    d: &Download,
) -> Result<(), Violation> {
    let h_dl = d.download;
    let (dl, up, p) = (&d.download, &d.upload, prev);
    // (rule, field, its value, must be ≥ (true) or ≤ (false), bound, the bound's name)
    #[rustfmt::skip]
    let bounds = [
        (2, "latest_server_version", d.latest.version.get(), true, p.latest.version.get(), "previous"),
        (3, "upload_client_version", up.client_version.get(), true, p.upload.client_version.get(), "previous"),
        (4, "upload_client_version", up.client_version.get(), false, newest_local.get(), "newest local version"),
        (5, "download_server_version", dl.server_version.get(), true, p.download.server_version.get(), "previous"),
        (6, "download_server_version", dl.server_version.get(), false, d.latest.version.get(), "latest_server_version"),
        (7, "download_client_version", dl.last_integrated_client_version.get(), true,
            p.download.last_integrated_client_version.get(), "previous"),
        (8, "download_client_version", dl.last_integrated_client_version.get(), false,
            up.client_version.get(), "upload_client_version"),
        (9, "download_server_version", dl.server_version.get(), true,
            up.last_integrated_server_version.get(), "upload_server_version"),
    ];
    for (rule, field, value, at_least, bound, name) in bounds {
        let ok = if at_least {
            value >= bound
        } else {
            value <= bound
        };
        if !ok {
            let relation = if at_least { '≥' } else { '≤' };
            let detail = format!("{field} {value} is not {relation} {name} {bound}");
            return Err(broken(rule, detail));
        }
    }
    let mut server_version = prev.download.server_version;
    let mut client_version = prev.download.last_integrated_client_version;
    for (i, e) in d.changesets.iter().enumerate() {
        if e.server_version <= server_version || e.server_version > h_dl.server_version {
            let detail = format!(
                "changeset {i}: server_version {} not in ({server_version}, {}]",
                e.server_version, h_dl.server_version
            );
            return Err(broken(10, detail));
        }
        let licv = e.last_integrated_client_version;
        if licv < client_version || licv > h_dl.last_integrated_client_version {
            let detail = format!(
                "changeset {i}: last_integrated_client_version {licv} not in [{client_version}, {}]",
                h_dl.last_integrated_client_version
            );
            return Err(broken(11, detail));
        }
        if e.origin_file_ident == FileIdent::ZERO || e.origin_file_ident == own {
            let detail = format!(
                "changeset {i}: origin_file_ident {} (own ident {own})",
                e.origin_file_ident
            );
            return Err(broken(12, detail));
        }
        server_version = e.server_version;
        client_version = licv;
    }
    Ok(())
}

/// A downloaded changeset that cannot be decoded, merged or applied (the
/// client answers JSON_ERROR 212 `bad_changeset`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationFailure {
    pub server_version: u64,
    pub detail: String,
}

/// The outcome of a successful integration, not yet committed.
#[derive(Debug, Clone)]
pub struct Integrated {
    pub state: State,
    /// `pending` with reciprocal forms updated by the merge.
    pub pending: Vec<LocalChangeset>,
    /// The server changesets as applied, in order.
    pub applied: Vec<Changeset>,
}

/// Merges `entries`, in order, with the local changesets in `pending` and
/// applies them to a copy of `state`.
pub fn integrate(
    state: &State,
    pending: &[LocalChangeset],
    own: FileIdent,
    entries: &[DownloadEntry],
    options: &MergeOptions,
) -> Result<Integrated, IntegrationFailure> {
    let mut state = state.clone();
    let mut pending = pending.to_vec();
    let mut decoded = Vec::with_capacity(entries.len());
    for e in entries {
        let changeset = decode(&e.changeset).map_err(|err| IntegrationFailure {
            server_version: e.server_version.get(),
            detail: err.to_string(),
        })?;
        decoded.push(changeset);
    }
    let downloads: Vec<merge::Download<'_>> = entries
        .iter()
        .zip(&decoded)
        .map(|(e, changeset)| merge::Download {
            server_version: e.server_version.get(),
            last_integrated_client_version: e.last_integrated_client_version.get(),
            origin_timestamp: e.origin_timestamp.get(),
            origin_file_ident: e.origin_file_ident.get(),
            changeset,
        })
        .collect();
    // One call for the whole message: runs with the same base are merged as
    // groups, as realm-core's client does.
    let merged =
        integrate_downloads(&mut pending, own.get(), &downloads, options).map_err(|err| {
            IntegrationFailure {
                server_version: entries.first().map_or(0, |e| e.server_version.get()),
                detail: format!("merge: {err}"),
            }
        })?;
    let mut applied = Vec::with_capacity(entries.len());
    for (e, transformed) in entries.iter().zip(merged) {
        state
            .apply(&transformed)
            .map_err(|err| IntegrationFailure {
                server_version: e.server_version.get(),
                detail: format!("apply: {err}"),
            })?;
        applied.push(transformed);
    }
    Ok(Integrated {
        state,
        pending,
        applied,
    })
}
