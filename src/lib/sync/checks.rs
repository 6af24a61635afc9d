//! The cursor checks a session runs on every UPLOAD (`docs/protocol.md` §7.1),
//! in the reference server's order, so each mistake gets the code a real
//! server gives. Pure functions over plain numbers: easy to read and test.

use crate::protocol::ErrorCode;

/// An upload cursor: (client version, last integrated server version).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub client: u64,
    pub server: u64,
}

impl Cursor {
    pub fn new(client: u64, server: u64) -> Cursor {
        Cursor { client, server }
    }

    /// A client version of 0 has nothing integrated on the server side either.
    fn consistent(self) -> bool {
        self.client != 0 || self.server == 0
    }

    /// Two cursors of one client order the same way on both sides.
    fn mutually_consistent(self, other: Cursor) -> bool {
        use std::cmp::Ordering::*;
        match self.client.cmp(&other.client) {
            Less => self.server <= other.server,
            Greater => self.server >= other.server,
            Equal => self.server == other.server,
        }
    }
}

/// What a session knows when an UPLOAD arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct UploadContext {
    /// `prev`: the progress of the previous accepted UPLOAD of this binding.
    pub previous: Cursor,
    /// `T`: the client file's upload progress when the session was identified.
    pub threshold: Cursor,
    /// `D.server_version`: how far DOWNLOADs of this binding have brought it.
    pub download_server_version: u64,
    /// `L`: the locked server version known for the file.
    pub locked: u64,
}

/// A refused UPLOAD: the session error and what exactly was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

fn refuse(code: ErrorCode, message: String) -> Result<(), Refusal> {
    Err(Refusal { code, message })
}

/// Checks an UPLOAD's header `progress`, `locked` and its entries' cursors.
pub(crate) fn check_upload(
    ctx: &UploadContext,
    progress: Cursor,
    locked: u64,
    entries: &[Cursor],
) -> Result<(), Refusal> {
    use ErrorCode::{BadClientVersion as V210, BadServerVersion as V209};
    let p = progress;
    if p.client < ctx.previous.client {
        return refuse(
            V210,
            format!(
                "upload progress went back from client version {} to {}",
                ctx.previous.client, p.client
            ),
        );
    }
    if p.server > ctx.download_server_version {
        return refuse(V209, format!("upload progress names server version {}, but this session downloaded only up to {}", p.server, ctx.download_server_version));
    }
    if !p.consistent() {
        return refuse(
            V209,
            "upload progress has a server version without a client version".into(),
        );
    }
    if !p.mutually_consistent(ctx.threshold) {
        return refuse(
            V209,
            format!(
                "upload progress ({}, {}) contradicts the file's stored progress ({}, {})",
                p.client, p.server, ctx.threshold.client, ctx.threshold.server
            ),
        );
    }
    if !p.mutually_consistent(ctx.previous) {
        return refuse(
            V209,
            format!(
                "upload progress ({}, {}) contradicts the previous upload's ({}, {})",
                p.client, p.server, ctx.previous.client, ctx.previous.server
            ),
        );
    }
    if locked < ctx.locked {
        return refuse(
            V209,
            format!(
                "locked server version went back from {} to {locked}",
                ctx.locked
            ),
        );
    }
    if locked > ctx.download_server_version {
        return refuse(
            V209,
            format!(
                "locked server version {locked} is past what this session downloaded ({})",
                ctx.download_server_version
            ),
        );
    }
    let mut up = ctx.previous;
    for e in entries {
        if e.client <= up.client {
            return refuse(
                V210,
                format!(
                    "changeset client version {} does not follow {}",
                    e.client, up.client
                ),
            );
        }
        if !e.consistent() {
            return refuse(
                V209,
                format!("changeset of client version {} is inconsistent", e.client),
            );
        }
        if !e.mutually_consistent(up) {
            return refuse(V209, format!("changeset of client version {} builds on server version {}, before its predecessor's {}", e.client, e.server, up.server));
        }
        if !e.mutually_consistent(ctx.threshold) {
            return refuse(V209, format!("changeset of client version {} contradicts the file's stored progress ({}, {})", e.client, ctx.threshold.client, ctx.threshold.server));
        }
        up = *e;
    }
    if let Some(last) = entries.last() {
        if last.client > p.client {
            return refuse(
                V210,
                format!(
                    "changeset client version {} is past the upload progress {}",
                    last.client, p.client
                ),
            );
        }
        if !last.mutually_consistent(p) {
            return refuse(
                V209,
                format!(
                    "the last changeset's cursor ({}, {}) contradicts the upload progress ({}, {})",
                    last.client, last.server, p.client, p.server
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> UploadContext {
        UploadContext {
            previous: Cursor::new(3, 2),
            threshold: Cursor::new(3, 2),
            download_server_version: 10,
            locked: 4,
        }
    }

    fn code(r: Result<(), Refusal>) -> Option<u16> {
        r.err().map(|r| r.code.number())
    }

    #[test]
    fn each_check_gives_the_reference_code() {
        let c = |cl, s| Cursor::new(cl, s);
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(4, 5), c(5, 6)])),
            None
        );
        assert_eq!(
            code(check_upload(&ctx(), c(2, 2), 6, &[])),
            Some(210),
            "progress went back"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 11), 6, &[])),
            Some(209),
            "past the download"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 1), 6, &[])),
            Some(209),
            "against T"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 3, &[])),
            Some(209),
            "locked went back"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 11, &[])),
            Some(209),
            "locked ahead"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(3, 2)])),
            Some(210),
            "not after prev"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(5, 6), c(4, 6)])),
            Some(210),
            "not increasing"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(4, 1)])),
            Some(209),
            "base went back"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(6, 6)])),
            Some(210),
            "past progress"
        );
        assert_eq!(
            code(check_upload(&ctx(), c(5, 6), 6, &[c(5, 7)])),
            Some(209),
            "last vs progress"
        );
        let fresh = UploadContext::default();
        assert_eq!(
            code(check_upload(&fresh, c(0, 1), 0, &[])),
            Some(209),
            "inconsistent"
        );
    }
}
