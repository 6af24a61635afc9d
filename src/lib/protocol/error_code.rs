//! The protocol's error codes (`docs/protocol.md` §9): what each means, who sees it,
//! what realm-core clients do with it, and which ones crash them.

use std::fmt;

use super::json::Action;

/// Whether an error ends the whole connection or one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorLevel {
    /// 100–199: sent with session ident 0; the client closes the connection.
    Connection,
    /// 200–299: sent with the session's ident; the client suspends that session.
    Session,
}

/// The error kind realm-core ≥ 13.18 reports to the application for a code
/// (`protocol_error_to_status`); `Abort` means the client process aborts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientErrorKind {
    ConnectionClosed,
    RuntimeError,
    SyncProtocolInvariantFailed,
    WrongSyncType,
    BadSyncPartitionValue,
    SyncPermissionDenied,
    SyncClientResetRequired,
    BadChangeset,
    SyncUserMismatch,
    InvalidSchemaChange,
    InvalidSubscriptionQuery,
    ObjectAlreadyExists,
    SyncServerPermissionsChanged,
    SyncWriteNotAllowed,
    SyncCompensatingWrite,
    SyncSchemaMigrationError,
    /// `REALM_UNREACHABLE()`: the client process aborts.
    Abort,
}

/// How clients before protocol 7 (which ignore `action`) react to a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyReaction {
    /// Automatic client reset.
    ClientReset,
    /// Treated as a silent connection problem.
    ConnectionIssue,
    /// Informational.
    Informational,
    /// Reported as an unexpected internal issue.
    InternalIssue,
    /// Reported as an authentication error.
    AuthError,
    /// Reported as a permission error.
    PermissionError,
    /// Reported as a compensating write.
    CompensatingWrite,
    /// The client aborts (202 from realm-core 11.5 on).
    Abort,
}

/// What our server puts in a JSON_ERROR for a code (`docs/protocol.md` §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// The `action` key.
    pub action: Action,
    /// The `tryAgain` key (and ERROR's `try_again`).
    pub try_again: bool,
}

/// A known error code. 213 (`disabled_session`) was removed from realm-core and is
/// not listed; [`WireErrorCode::known`] gives `None` for it and any other unknown number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
#[rustfmt::skip]
pub enum ErrorCode {
    ConnectionClosed = 100, OtherError = 101, UnknownMessage = 102, BadSyntax = 103,
    LimitsExceeded = 104, WrongProtocolVersion = 105, BadSessionIdent = 106,
    ReuseOfSessionIdent = 107, BoundInOtherSession = 108, BadMessageOrder = 109,
    BadDecompression = 110, BadChangesetHeaderSyntax = 111, BadChangesetSize = 112,
    SwitchToFlxSync = 113, SwitchToPbs = 114,
    SessionClosed = 200, OtherSessionError = 201, TokenExpired = 202, BadAuthentication = 203,
    IllegalRealmPath = 204, NoSuchRealm = 205, PermissionDenied = 206, BadServerFileIdent = 207,
    BadClientFileIdent = 208, BadServerVersion = 209, BadClientVersion = 210,
    DivergingHistories = 211, BadChangeset = 212, PartialSyncDisabled = 214,
    UnsupportedSessionFeature = 215, BadOriginFileIdent = 216, BadClientFile = 217,
    ServerFileDeleted = 218, ClientFileBlacklisted = 219, UserBlacklisted = 220,
    TransactBeforeUpload = 221, ClientFileExpired = 222, UserMismatch = 223,
    TooManySessions = 224, InvalidSchemaChange = 225, BadQuery = 226,
    ObjectAlreadyExists = 227, ServerPermissionsChanged = 228, InitialSyncNotCompleted = 229,
    WriteNotAllowed = 230, CompensatingWrite = 231, MigrateToFlx = 232, BadProgress = 233,
    RevertToPbs = 234, BadSchemaVersion = 235, SchemaVersionChanged = 236,
}

/// One row of the code table.
struct Row {
    name: &'static str,
    client: ClientErrorKind,
    legacy: Option<LegacyReaction>,
    ours: Option<Suggestion>,
}

const fn row(
    name: &'static str,
    client: ClientErrorKind,
    legacy: Option<LegacyReaction>,
    ours: Option<(Action, bool)>,
) -> Row {
    let ours = match ours {
        Some((action, try_again)) => Some(Suggestion { action, try_again }),
        None => None,
    };
    Row {
        name,
        client,
        legacy,
        ours,
    }
}

impl ErrorCode {
    /// Every known code, ascending.
    #[rustfmt::skip]
    pub const ALL: [ErrorCode; 51] = {
        use ErrorCode::*;
        [
            ConnectionClosed, OtherError, UnknownMessage, BadSyntax, LimitsExceeded,
            WrongProtocolVersion, BadSessionIdent, ReuseOfSessionIdent, BoundInOtherSession,
            BadMessageOrder, BadDecompression, BadChangesetHeaderSyntax, BadChangesetSize,
            SwitchToFlxSync, SwitchToPbs, SessionClosed, OtherSessionError, TokenExpired,
            BadAuthentication, IllegalRealmPath, NoSuchRealm, PermissionDenied, BadServerFileIdent,
            BadClientFileIdent, BadServerVersion, BadClientVersion, DivergingHistories, BadChangeset,
            PartialSyncDisabled, UnsupportedSessionFeature, BadOriginFileIdent, BadClientFile,
            ServerFileDeleted, ClientFileBlacklisted, UserBlacklisted, TransactBeforeUpload,
            ClientFileExpired, UserMismatch, TooManySessions, InvalidSchemaChange, BadQuery,
            ObjectAlreadyExists, ServerPermissionsChanged, InitialSyncNotCompleted, WriteNotAllowed,
            CompensatingWrite, MigrateToFlx, BadProgress, RevertToPbs, BadSchemaVersion,
            SchemaVersionChanged,
        ]
    };

    /// The code number on the wire.
    pub const fn number(self) -> u16 {
        self as u16
    }

    /// The known code with this number.
    pub fn from_number(number: u32) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|code| u32::from(code.number()) == number)
    }

    /// Connection level (1xx) or session level (2xx).
    pub const fn level(self) -> ErrorLevel {
        if self.number() < 200 {
            ErrorLevel::Connection
        } else {
            ErrorLevel::Session
        }
    }

    /// realm-core's snake_case name.
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// What realm-core ≥ 13.18 reports to the application.
    pub const fn client_kind(self) -> ClientErrorKind {
        self.row().client
    }

    /// What clients before protocol 7 do (they derive behaviour from the code);
    /// `None` for codes those clients do not know.
    pub const fn legacy_reaction(self) -> Option<LegacyReaction> {
        self.row().legacy
    }

    /// The action and retry flag our server sends with this code, or `None` for
    /// codes it must never send (they abort clients, are obsolete, or belong to
    /// flexible sync or PBS↔FLX migration).
    pub const fn suggestion(self) -> Option<Suggestion> {
        self.row().ours
    }

    /// Codes whose receipt makes realm-core ≥ 13.18 abort (`REALM_UNREACHABLE`
    /// in `protocol_error_to_status`), whatever the message kind or level.
    pub const fn crashes_current_clients(self) -> bool {
        matches!(self.row().client, ClientErrorKind::Abort)
    }

    /// The client does not suspend the session for these (`docs/protocol.md` §5.1).
    pub const fn session_continues(self) -> bool {
        matches!(self, Self::CompensatingWrite | Self::SchemaVersionChanged)
    }

    #[rustfmt::skip]
    const fn row(self) -> Row {
        use Action as A;
        use ClientErrorKind as K;
        use LegacyReaction as L;
        const PV: Option<(Action, bool)> = Some((Action::ProtocolViolation, false));
        const RESET: Option<(Action, bool)> = Some((Action::ClientReset, false));
        const BUG: Option<(Action, bool)> = Some((Action::ApplicationBug, false));
        match self {
            Self::ConnectionClosed => row("connection_closed", K::ConnectionClosed, Some(L::ConnectionIssue), Some((A::Transient, true))),
            Self::OtherError => row("other_error", K::RuntimeError, Some(L::ConnectionIssue), BUG),
            Self::UnknownMessage => row("unknown_message", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::BadSyntax => row("bad_syntax", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::LimitsExceeded => row("limits_exceeded", K::Abort, Some(L::InternalIssue), None),
            Self::WrongProtocolVersion => row("wrong_protocol_version", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), None),
            Self::BadSessionIdent => row("bad_session_ident", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::ReuseOfSessionIdent => row("reuse_of_session_ident", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::BoundInOtherSession => row("bound_in_other_session", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::BadMessageOrder => row("bad_message_order", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::BadDecompression => row("bad_decompression", K::RuntimeError, Some(L::InternalIssue), PV),
            Self::BadChangesetHeaderSyntax => row("bad_changeset_header_syntax", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::BadChangesetSize => row("bad_changeset_size", K::SyncProtocolInvariantFailed, Some(L::InternalIssue), PV),
            Self::SwitchToFlxSync => row("switch_to_flx_sync", K::WrongSyncType, Some(L::InternalIssue), None),
            Self::SwitchToPbs => row("switch_to_pbs", K::WrongSyncType, Some(L::InternalIssue), None),
            Self::SessionClosed => row("session_closed", K::ConnectionClosed, Some(L::Informational), Some((A::Transient, true))),
            Self::OtherSessionError => row("other_session_error", K::RuntimeError, Some(L::Informational), BUG),
            Self::TokenExpired => row("token_expired", K::Abort, Some(L::Abort), None),
            Self::BadAuthentication => row("bad_authentication", K::Abort, Some(L::AuthError), None),
            Self::IllegalRealmPath => row("illegal_realm_path", K::BadSyncPartitionValue, Some(L::InternalIssue), BUG),
            Self::NoSuchRealm => row("no_such_realm", K::Abort, Some(L::InternalIssue), None),
            Self::PermissionDenied => row("permission_denied", K::SyncPermissionDenied, Some(L::PermissionError), BUG),
            Self::BadServerFileIdent => row("bad_server_file_ident", K::Abort, Some(L::ClientReset), None),
            Self::BadClientFileIdent => row("bad_client_file_ident", K::SyncClientResetRequired, Some(L::ClientReset), RESET),
            Self::BadServerVersion => row("bad_server_version", K::SyncClientResetRequired, Some(L::ClientReset), RESET),
            Self::BadClientVersion => row("bad_client_version", K::SyncClientResetRequired, Some(L::InternalIssue), RESET),
            Self::DivergingHistories => row("diverging_histories", K::SyncClientResetRequired, Some(L::ClientReset), RESET),
            Self::BadChangeset => row("bad_changeset", K::BadChangeset, Some(L::InternalIssue), RESET),
            Self::PartialSyncDisabled => row("partial_sync_disabled", K::Abort, Some(L::InternalIssue), None),
            Self::UnsupportedSessionFeature => row("unsupported_session_feature", K::Abort, Some(L::InternalIssue), None),
            Self::BadOriginFileIdent => row("bad_origin_file_ident", K::SyncProtocolInvariantFailed, Some(L::ClientReset), PV),
            Self::BadClientFile => row("bad_client_file", K::SyncClientResetRequired, Some(L::ClientReset), RESET),
            Self::ServerFileDeleted => row("server_file_deleted", K::Abort, Some(L::ClientReset), None),
            Self::ClientFileBlacklisted => row("client_file_blacklisted", K::Abort, Some(L::ClientReset), None),
            Self::UserBlacklisted => row("user_blacklisted", K::Abort, Some(L::ClientReset), None),
            Self::TransactBeforeUpload => row("transact_before_upload", K::Abort, Some(L::InternalIssue), None),
            Self::ClientFileExpired => row("client_file_expired", K::SyncClientResetRequired, Some(L::ClientReset), RESET),
            Self::UserMismatch => row("user_mismatch", K::SyncUserMismatch, Some(L::InternalIssue), BUG),
            Self::TooManySessions => row("too_many_sessions", K::Abort, Some(L::InternalIssue), None),
            Self::InvalidSchemaChange => row("invalid_schema_change", K::InvalidSchemaChange, Some(L::ClientReset), RESET),
            Self::BadQuery => row("bad_query", K::InvalidSubscriptionQuery, Some(L::InternalIssue), None),
            Self::ObjectAlreadyExists => row("object_already_exists", K::ObjectAlreadyExists, Some(L::ClientReset), RESET),
            Self::ServerPermissionsChanged => row("server_permissions_changed", K::SyncServerPermissionsChanged, Some(L::ClientReset), RESET),
            Self::InitialSyncNotCompleted => row("initial_sync_not_completed", K::ConnectionClosed, Some(L::Informational), Some((A::Transient, true))),
            Self::WriteNotAllowed => row("write_not_allowed", K::SyncWriteNotAllowed, Some(L::ClientReset), RESET),
            Self::CompensatingWrite => row("compensating_write", K::SyncCompensatingWrite, Some(L::CompensatingWrite), Some((A::Warning, true))),
            Self::MigrateToFlx => row("migrate_to_flx", K::WrongSyncType, None, None),
            Self::BadProgress => row("bad_progress", K::SyncProtocolInvariantFailed, None, RESET),
            Self::RevertToPbs => row("revert_to_pbs", K::WrongSyncType, None, None),
            Self::BadSchemaVersion => row("bad_schema_version", K::SyncSchemaMigrationError, None, None),
            Self::SchemaVersionChanged => row("schema_version_changed", K::SyncSchemaMigrationError, None, None),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.number(), self.name())
    }
}

/// An error code as it appears in ERROR and JSON_ERROR: any number realm-core
/// parses as `int` (0 ..= 2^31 - 1), known or not, since clients accept unknown
/// session-level codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireErrorCode(u32);

impl WireErrorCode {
    /// Largest number a client can parse.
    pub const MAX: u32 = i32::MAX as u32;

    pub const fn new(number: u32) -> Option<Self> {
        if number <= Self::MAX {
            Some(Self(number))
        } else {
            None
        }
    }

    pub const fn number(self) -> u32 {
        self.0
    }

    /// The known code, if any.
    pub fn known(self) -> Option<ErrorCode> {
        ErrorCode::from_number(self.0)
    }
}

impl From<ErrorCode> for WireErrorCode {
    fn from(code: ErrorCode) -> Self {
        Self(u32::from(code.number()))
    }
}

impl fmt::Display for WireErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
