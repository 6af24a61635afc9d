//! Refresh sessions: one per login. A refresh token names its session, so ending
//! the session (logout, revocation, user deletion) ends the token however long its
//! own expiry still runs.

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};

use super::error::{AdminError, Missing};
use super::store::{millis, time, AdminStore};
use super::users::require_user;
use crate::token::{SessionId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: SystemTime,
    /// When a token of the session was last used (refreshed), as callers report it.
    pub last_used_at: SystemTime,
    pub revoked_at: Option<SystemTime>,
}

fn load_session(conn: &Connection, id: &SessionId) -> Result<Option<Session>, AdminError> {
    Ok(conn
        .prepare_cached(
            "SELECT user_id, created_at, last_used_at, revoked_at FROM sessions WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Session {
                id: *id,
                user: r.get(0)?,
                created_at: time(r.get(1)?),
                last_used_at: time(r.get(2)?),
                revoked_at: r.get::<_, Option<i64>>(3)?.map(time),
            })
        })
        .optional()?)
}

fn require_session(conn: &Connection, id: &SessionId) -> Result<Session, AdminError> {
    load_session(conn, id)?.ok_or(AdminError::NotFound(Missing::Session(*id)))
}

impl AdminStore {
    /// Opens a session for a login of `user`, who must exist and be enabled.
    pub fn create_session(&self, user: &UserId, now: SystemTime) -> Result<Session, AdminError> {
        let conn = self.conn();
        if require_user(&conn, user)?.disabled {
            return Err(AdminError::UserDisabled(*user));
        }
        let id = SessionId::generate(now);
        conn.prepare_cached(
            "INSERT INTO sessions (id, user_id, created_at, last_used_at) VALUES (?1, ?2, ?3, ?3)",
        )?
        .execute(params![id, user, millis(now)])?;
        require_session(&conn, &id)
    }

    pub fn find_session(&self, id: &SessionId) -> Result<Option<Session>, AdminError> {
        load_session(&self.conn(), id)
    }

    /// Records a use of the session at `now` (never moving the time backwards).
    pub fn touch_session(&self, id: &SessionId, now: SystemTime) -> Result<(), AdminError> {
        let conn = self.conn();
        let session = require_session(&conn, id)?;
        if session.revoked_at.is_some() {
            return Err(AdminError::SessionRevoked(*id));
        }
        conn.prepare_cached(
            "UPDATE sessions SET last_used_at = max(last_used_at, ?2) WHERE id = ?1",
        )?
        .execute(params![id, millis(now)])?;
        Ok(())
    }

    /// Ends the session. Returns `false` if it had already ended.
    pub fn revoke_session(&self, id: &SessionId, now: SystemTime) -> Result<bool, AdminError> {
        let conn = self.conn();
        require_session(&conn, id)?;
        let changed = conn
            .prepare_cached(
                "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            )?
            .execute(params![id, millis(now)])?;
        Ok(changed == 1)
    }

    /// Ends every open session of `user` ("log out everywhere"); returns how many.
    pub fn revoke_user_sessions(
        &self,
        user: &UserId,
        now: SystemTime,
    ) -> Result<usize, AdminError> {
        self.end_sessions(user, None, now)
    }

    /// Ends every open session of `user` except `keep` (the one a password
    /// change came from); returns how many.
    pub fn revoke_other_sessions(
        &self,
        user: &UserId,
        keep: &SessionId,
        now: SystemTime,
    ) -> Result<usize, AdminError> {
        self.end_sessions(user, Some(keep), now)
    }

    fn end_sessions(
        &self,
        user: &UserId,
        keep: Option<&SessionId>,
        now: SystemTime,
    ) -> Result<usize, AdminError> {
        let conn = self.conn();
        require_user(&conn, user)?;
        let ended = conn
            .prepare_cached(
                "UPDATE sessions SET revoked_at = ?2
                 WHERE user_id = ?1 AND revoked_at IS NULL AND (?3 IS NULL OR id <> ?3)",
            )?
            .execute(params![user, millis(now), keep])?;
        Ok(ended)
    }

    /// The open (not revoked) sessions of `user`, oldest first.
    pub fn open_sessions(&self, user: &UserId) -> Result<Vec<Session>, AdminError> {
        let conn = self.conn();
        let ids: Vec<SessionId> = conn
            .prepare_cached(
                "SELECT id FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL
                 ORDER BY created_at, id",
            )?
            .query_map([user], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter().map(|id| require_session(&conn, id)).collect()
    }

    /// Whether tokens of the session may be used: it exists, has not been revoked,
    /// and its user is not disabled. Unknown sessions (including those of deleted
    /// users) are simply inactive.
    pub fn is_session_active(&self, id: &SessionId) -> Result<bool, AdminError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.id = ?1 AND s.revoked_at IS NULL AND u.disabled = 0",
            )?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }
}
