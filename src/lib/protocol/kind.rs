//! Message kinds, their head-line words and the versions in which they exist.

use std::fmt;

use super::version::ProtocolVersion;

/// Which way a message travels; the same word can name different messages in the
/// two directions (IDENT, MARK, JSON_ERROR, TEST_COMMAND).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server.
    ToServer,
    /// Server to client.
    ToClient,
}

/// Every message word this module recognises, including those it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// `bind` (C→S)
    Bind,
    /// `ident` (both directions, different fields)
    Ident,
    /// `upload` (C→S)
    Upload,
    /// `mark` (both directions)
    Mark,
    /// `unbind` (C→S)
    Unbind,
    /// `ping` (C→S)
    Ping,
    /// `json_error` (C→S from 7, S→C from 4)
    JsonError,
    /// `query` (C→S, flexible sync only: refused)
    Query,
    /// `test_command` (both directions, test servers only)
    TestCommand,
    /// `refresh` (C→S, clients up to realm-core 11.9, protocol ≤ 3)
    Refresh,
    /// `download` (S→C)
    Download,
    /// `unbound` (S→C)
    Unbound,
    /// `error` (S→C)
    Error,
    /// `pong` (S→C)
    Pong,
    /// `log_message` (S→C from 10)
    LogMessage,
    /// `query_error` (S→C, flexible sync only: refused)
    QueryError,
}

/// Whether a kind exists for a direction and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Availability {
    Available,
    WrongDirection,
    FlexibleSyncOnly,
    NotInVersion,
}

impl MessageKind {
    const ALL: [MessageKind; 16] = [
        Self::Bind,
        Self::Ident,
        Self::Upload,
        Self::Mark,
        Self::Unbind,
        Self::Ping,
        Self::JsonError,
        Self::Query,
        Self::TestCommand,
        Self::Refresh,
        Self::Download,
        Self::Unbound,
        Self::Error,
        Self::Pong,
        Self::LogMessage,
        Self::QueryError,
    ];

    /// The head-line word.
    pub const fn word(self) -> &'static str {
        match self {
            Self::Bind => "bind",
            Self::Ident => "ident",
            Self::Upload => "upload",
            Self::Mark => "mark",
            Self::Unbind => "unbind",
            Self::Ping => "ping",
            Self::JsonError => "json_error",
            Self::Query => "query",
            Self::TestCommand => "test_command",
            Self::Refresh => "refresh",
            Self::Download => "download",
            Self::Unbound => "unbound",
            Self::Error => "error",
            Self::Pong => "pong",
            Self::LogMessage => "log_message",
            Self::QueryError => "query_error",
        }
    }

    /// The kind a head-line word names. Obsolete words (`alloc`, `transact`,
    /// `state`, ...) are unknown on purpose: no protocol 2–14 peer sends them.
    pub fn from_word(word: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.word().as_bytes() == word)
    }

    /// Whether a peer speaking `version` may send this kind in `direction`.
    pub(crate) fn availability(
        self,
        direction: Direction,
        version: ProtocolVersion,
    ) -> Availability {
        use Direction::{ToClient, ToServer};
        let v = version.get();
        let (exists, since_ok) = match (self, direction) {
            (Self::Query, ToServer) | (Self::QueryError, ToClient) => {
                return Availability::FlexibleSyncOnly
            }
            (Self::Bind | Self::Upload | Self::Unbind | Self::Ping, ToServer) => (true, true),
            (Self::Refresh, ToServer) => (true, v <= 3),
            (Self::JsonError, ToServer) => (true, v >= 7),
            (Self::JsonError, ToClient) => (true, v >= 4),
            (Self::LogMessage, ToClient) => (true, v >= 10),
            (Self::Ident | Self::Mark | Self::TestCommand, _) => (true, true),
            (Self::Download | Self::Unbound | Self::Error | Self::Pong, ToClient) => (true, true),
            _ => (false, false),
        };
        match (exists, since_ok) {
            (false, _) => Availability::WrongDirection,
            (true, false) => Availability::NotInVersion,
            (true, true) => Availability::Available,
        }
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.word().to_ascii_uppercase())
    }
}
