//! The JSON bodies of JSON_ERROR and LOG_MESSAGE.
//!
//! The messages themselves keep their bodies as bytes (JSON text is not
//! canonical); these types build and read them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error_code::ErrorCode;

/// What the SDK should do about an error (protocol ≥ 7 clients obey it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Transient,
    Warning,
    ApplicationBug,
    ProtocolViolation,
    ClientReset,
    ClientResetNoRecovery,
    DeleteRealm,
    MigrateToFlx,
    RevertToPbs,
    RefreshUser,
    RefreshLocation,
    LogOutUser,
    MigrateSchema,
}

impl Action {
    const ALL: [Action; 13] = [
        Self::Transient,
        Self::Warning,
        Self::ApplicationBug,
        Self::ProtocolViolation,
        Self::ClientReset,
        Self::ClientResetNoRecovery,
        Self::DeleteRealm,
        Self::MigrateToFlx,
        Self::RevertToPbs,
        Self::RefreshUser,
        Self::RefreshLocation,
        Self::LogOutUser,
        Self::MigrateSchema,
    ];

    /// The string in the `action` key.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Transient => "Transient",
            Self::Warning => "Warning",
            Self::ApplicationBug => "ApplicationBug",
            Self::ProtocolViolation => "ProtocolViolation",
            Self::ClientReset => "ClientReset",
            Self::ClientResetNoRecovery => "ClientResetNoRecovery",
            Self::DeleteRealm => "DeleteRealm",
            Self::MigrateToFlx => "MigrateToFLX",
            Self::RevertToPbs => "RevertToPBS",
            Self::RefreshUser => "RefreshUser",
            Self::RefreshLocation => "RefreshLocation",
            Self::LogOutUser => "LogOutUser",
            Self::MigrateSchema => "MigrateSchema",
        }
    }

    /// Reads an `action` string as clients do: an unknown one means `ApplicationBug`.
    pub fn from_name(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .unwrap_or(Self::ApplicationBug)
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

/// One write the server undid (compensating writes, codes 230 and 231).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedUpdate {
    /// Class name, without the `class_` prefix.
    pub table: String,
    /// base64 of the primary key's changeset payload encoding.
    pub pk: String,
    /// Why it was rejected.
    pub reason: String,
}

/// The body of a server JSON_ERROR. Clients throw (protocol violation) if any of
/// the five always-present keys is missing or mistyped, so they are not optional;
/// `action` is required by protocol 7 clients. Field order is the keys' sorted
/// order, as the original writers produce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Overrides the retry backoff: initial delay in seconds (with the two below).
    #[serde(
        rename = "backoffIntervalSec",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub backoff_interval_sec: Option<i64>,
    #[serde(
        rename = "backoffMaxDelaySec",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub backoff_max_delay_sec: Option<i64>,
    #[serde(
        rename = "backoffMultiplier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub backoff_multiplier: Option<i64>,
    #[serde(
        rename = "compensatingWriteServerVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub compensating_write_server_version: Option<i64>,
    #[serde(rename = "isRecoveryModeDisabled")]
    pub is_recovery_mode_disabled: bool,
    #[serde(rename = "logURL")]
    pub log_url: String,
    pub message: String,
    #[serde(
        rename = "partitionQuery",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub partition_query: Option<String>,
    #[serde(
        rename = "previousSchemaVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_schema_version: Option<u64>,
    #[serde(
        rename = "rejectedClientVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rejected_client_version: Option<i64>,
    #[serde(
        rename = "rejectedUpdates",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub rejected_updates: Vec<RejectedUpdate>,
    /// Read by clients before protocol 7 instead of `action`.
    #[serde(rename = "shouldClientReset")]
    pub should_client_reset: bool,
    #[serde(rename = "tryAgain")]
    pub try_again: bool,
}

/// A JSON body that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonBodyError {
    /// Not JSON of the expected shape (serde's message names line and column).
    #[error("{body} body: {detail}")]
    Invalid {
        /// Which body.
        body: &'static str,
        /// The JSON reader's message.
        detail: String,
    },
    /// A LOG_MESSAGE level clients do not know (they close the connection).
    #[error("log_message body: unknown level {0:?}")]
    UnknownLogLevel(String),
}

fn invalid(body: &'static str) -> impl Fn(serde_json::Error) -> JsonBodyError {
    move |e| JsonBodyError::Invalid {
        body,
        detail: e.to_string(),
    }
}

impl JsonErrorBody {
    /// The body our server sends for `code`, following the code table's
    /// suggestion; `None` for codes that must never be sent.
    pub fn for_code(code: ErrorCode, message: impl Into<String>) -> Option<Self> {
        let suggestion = code.suggestion()?;
        let resets = matches!(
            suggestion.action,
            Action::ClientReset | Action::ClientResetNoRecovery
        );
        Some(Self {
            action: Some(suggestion.action),
            backoff_interval_sec: None,
            backoff_max_delay_sec: None,
            backoff_multiplier: None,
            compensating_write_server_version: None,
            is_recovery_mode_disabled: suggestion.action == Action::ClientResetNoRecovery,
            log_url: String::new(),
            message: message.into(),
            partition_query: None,
            previous_schema_version: None,
            rejected_client_version: None,
            rejected_updates: Vec::new(),
            should_client_reset: resets,
            try_again: suggestion.try_again,
        })
    }

    pub fn parse(body: &[u8]) -> Result<Self, JsonBodyError> {
        serde_json::from_slice(body).map_err(invalid("json_error"))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The body of a client's JSON_ERROR: `{"message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientJsonErrorBody {
    pub message: String,
}

impl ClientJsonErrorBody {
    pub fn parse(body: &[u8]) -> Result<Self, JsonBodyError> {
        serde_json::from_slice(body).map_err(invalid("json_error"))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// LOG_MESSAGE levels, as clients name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Fatal,
    Error,
    Warn,
    Info,
    Detail,
    Debug,
    Trace,
}

/// The body of a LOG_MESSAGE (protocol ≥ 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogMessageBody {
    /// Connection id for the client's log prefix; the first non-empty one counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co_id: Option<String>,
    pub level: LogLevel,
    /// The text; clients ignore messages whose text is empty.
    pub msg: String,
}

#[derive(Deserialize)]
struct RawLogMessage {
    #[serde(default)]
    co_id: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    msg: Option<String>,
}

impl LogMessageBody {
    /// Reads a body as clients do: absent or empty `level` means debug, an
    /// unknown level is an error, absent `msg` is empty.
    pub fn parse(body: &[u8]) -> Result<Self, JsonBodyError> {
        let raw: RawLogMessage = serde_json::from_slice(body).map_err(invalid("log_message"))?;
        let level = match raw.level.as_deref() {
            None | Some("") => LogLevel::Debug,
            Some(name) => serde_json::from_value(serde_json::Value::String(name.to_owned()))
                .map_err(|_| JsonBodyError::UnknownLogLevel(name.to_owned()))?,
        };
        Ok(Self {
            co_id: raw.co_id.filter(|c| !c.is_empty()),
            level,
            msg: raw.msg.unwrap_or_default(),
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}
