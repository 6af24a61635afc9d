//! The JSON shapes of users, as the original's HTTP API named their fields
//! (docs/original-server.md §5.1) plus ours (`disabled`, `created_at`). The admin API, the
//! original's `/auth/users` routes and `ros user --format json` all print these, and
//! the CLI's HTTP client reads them back; documented in `docs/openapi.yaml` and
//! `docs/cli-json.md`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::ops::Removal;
use super::users::{User, UserPage};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountJson {
    pub provider: String,
    pub provider_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataJson {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserJson {
    pub user_id: String,
    pub is_admin: bool,
    pub disabled: bool,
    /// RFC 3339, UTC, whole seconds.
    pub created_at: String,
    pub accounts: Vec<AccountJson>,
    pub metadata: Vec<MetadataJson>,
    /// Present (and true) only when the username looks like another user's: two
    /// accounts made before usernames were checked, reported for an operator to
    /// resolve, never merged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lookalike_username: bool,
    /// The open sessions (logins), only where one user is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Vec<SessionJson>>,
}

/// An open session: one login and its refresh token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionJson {
    pub session_id: String,
    pub created_at: String,
    pub last_used_at: String,
}

impl From<&super::sessions::Session> for SessionJson {
    fn from(session: &super::sessions::Session) -> SessionJson {
        SessionJson {
            session_id: session.id.to_string(),
            created_at: rfc3339(session.created_at),
            last_used_at: rfc3339(session.last_used_at),
        }
    }
}

impl UserJson {
    /// The user with their open sessions.
    pub fn with_sessions(mut self, sessions: &[super::sessions::Session]) -> UserJson {
        self.sessions = Some(sessions.iter().map(SessionJson::from).collect());
        self
    }

    /// The username of the password account, if any.
    pub fn username(&self) -> Option<&str> {
        self.accounts
            .iter()
            .find(|a| a.provider == super::users::PASSWORD_PROVIDER)
            .map(|a| a.provider_id.as_str())
    }
}

impl From<&User> for UserJson {
    fn from(user: &User) -> UserJson {
        UserJson {
            user_id: user.id.to_string(),
            is_admin: user.is_admin,
            disabled: user.disabled,
            created_at: rfc3339(user.created_at),
            accounts: user
                .accounts
                .iter()
                .map(|a| AccountJson {
                    provider: a.provider.clone(),
                    provider_id: a.provider_id.clone(),
                })
                .collect(),
            metadata: user
                .metadata
                .iter()
                .map(|(key, value)| MetadataJson {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
            lookalike_username: user.lookalike_username,
            sessions: None,
        }
    }
}

/// One page of `GET /api/admin/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPageJson {
    pub users: Vec<UserJson>,
    /// Pass as `after` for the next page; `null` on the last.
    pub next: Option<String>,
}

impl From<&UserPage> for UserPageJson {
    fn from(page: &UserPage) -> UserPageJson {
        UserPageJson {
            users: page.users.iter().map(UserJson::from).collect(),
            next: page.next.map(|id| id.to_string()),
        }
    }
}

/// What removing a user answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalJson {
    pub user: UserJson,
    pub sessions_revoked: usize,
    pub owned_realms: Vec<String>,
}

impl From<&Removal> for RemovalJson {
    fn from(removal: &Removal) -> RemovalJson {
        RemovalJson {
            user: UserJson::from(&removal.user),
            sessions_revoked: removal.sessions_revoked,
            owned_realms: removal.owned_realms.clone(),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`. Times before 1970 show as the epoch.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_print_as_utc_rfc3339() {
        let at = |s| rfc3339(UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_790_000_000), "2026-09-21T14:13:20Z");
        assert_eq!(at(4_102_444_799), "2099-12-31T23:59:59Z");
    }
}
