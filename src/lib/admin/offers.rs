//! Permission offers as stored: a secret token that grants its flags on one Realm
//! to whoever accepts it, until it expires or its creator revokes it.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};

use super::access::{rights_row, Rights};
use super::error::AdminError;
use super::store::{millis, time};
use crate::realm_id::RealmId;
use crate::token::UserId;

/// An offer's token: 16 random bytes as 32 lower-case hex digits. It is the only
/// thing needed to accept, so it is as hard to guess as a session key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfferToken([u8; 16]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an offer token: offer tokens are 32 lower-case hexadecimal digits")]
pub struct InvalidOfferToken(pub String);

impl OfferToken {
    pub fn generate() -> OfferToken {
        OfferToken(crate::token::random::random_bytes())
    }
}

impl FromStr for OfferToken {
    type Err = InvalidOfferToken;

    fn from_str(text: &str) -> Result<OfferToken, InvalidOfferToken> {
        let bad = || InvalidOfferToken(text.chars().take(64).collect());
        if text.len() != 32 || text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad());
        }
        let mut bytes = [0; 16];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| bad())?;
        Ok(OfferToken(bytes))
    }
}

impl fmt::Display for OfferToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Shows only a prefix: tokens are secrets and debug output ends up in logs.
impl fmt::Debug for OfferToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OfferToken({}…)", &hex::encode(self.0)[..6])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub token: OfferToken,
    pub realm: RealmId,
    /// `None` when the admin token made it.
    pub creator: Option<UserId>,
    pub rights: Rights,
    pub created_at: SystemTime,
    pub expires_at: Option<SystemTime>,
    pub revoked_at: Option<SystemTime>,
    /// Users who accepted it so far.
    pub accepted_by: Vec<UserId>,
}

const COLUMNS: &str = "token, realm_id, creator_id, may_read, may_write, may_manage, \
                       created_at, expires_at, revoked_at";

fn conversion(e: Box<dyn std::error::Error + Send + Sync>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e)
}

fn offer(row: &rusqlite::Row<'_>) -> rusqlite::Result<Offer> {
    let token: String = row.get(0)?;
    let realm: String = row.get(1)?;
    Ok(Offer {
        token: token
            .parse()
            .map_err(|e: InvalidOfferToken| conversion(e.into()))?,
        realm: RealmId::parse(&realm, None).map_err(|e| conversion(e.into()))?,
        creator: row.get(2)?,
        rights: rights_row(row, 3)?,
        created_at: time(row.get(6)?),
        expires_at: row.get::<_, Option<i64>>(7)?.map(time),
        revoked_at: row.get::<_, Option<i64>>(8)?.map(time),
        accepted_by: Vec::new(),
    })
}

fn with_acceptances(conn: &Connection, mut offer: Offer) -> Result<Offer, AdminError> {
    let mut stmt = conn.prepare(
        "SELECT user_id FROM offer_acceptances WHERE token = ?1 ORDER BY accepted_at, user_id",
    )?;
    let users = stmt.query_map(params![offer.token.to_string()], |row| row.get(0))?;
    offer.accepted_by = users.collect::<Result<_, _>>()?;
    Ok(offer)
}

pub(crate) fn insert_offer(conn: &Connection, offer: &Offer) -> Result<(), AdminError> {
    conn.execute(
        &format!("INSERT INTO offers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)"),
        params![
            offer.token.to_string(),
            offer.realm.to_string(),
            offer.creator,
            offer.rights.may_read,
            offer.rights.may_write,
            offer.rights.may_manage,
            millis(offer.created_at),
            offer.expires_at.map(millis),
        ],
    )?;
    Ok(())
}

pub(crate) fn load_offer(
    conn: &Connection,
    token: &OfferToken,
) -> Result<Option<Offer>, AdminError> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM offers WHERE token = ?1"),
            params![token.to_string()],
            offer,
        )
        .optional()?;
    found.map(|o| with_acceptances(conn, o)).transpose()
}

/// Offers made by `creator` (`Some(None)`: by the admin token), or all of them.
pub(crate) fn list_offers(
    conn: &Connection,
    creator: Option<Option<&UserId>>,
) -> Result<Vec<Offer>, AdminError> {
    let sql = match creator {
        None => format!("SELECT {COLUMNS} FROM offers ORDER BY created_at, token"),
        Some(None) => format!(
            "SELECT {COLUMNS} FROM offers WHERE creator_id IS NULL ORDER BY created_at, token"
        ),
        Some(Some(_)) => {
            format!("SELECT {COLUMNS} FROM offers WHERE creator_id = ?1 ORDER BY created_at, token")
        }
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = match creator {
        Some(Some(id)) => stmt
            .query_map(params![id], offer)?
            .collect::<Result<Vec<_>, _>>()?,
        _ => stmt.query_map([], offer)?.collect::<Result<Vec<_>, _>>()?,
    };
    rows.into_iter()
        .map(|o| with_acceptances(conn, o))
        .collect()
}

pub(crate) fn mark_revoked(
    conn: &Connection,
    token: &OfferToken,
    now: SystemTime,
) -> Result<(), AdminError> {
    conn.execute(
        "UPDATE offers SET revoked_at = ?2 WHERE token = ?1 AND revoked_at IS NULL",
        params![token.to_string(), millis(now)],
    )?;
    Ok(())
}

/// Records that `user` accepted; whether this is their first time.
pub(crate) fn record_acceptance(
    conn: &Connection,
    token: &OfferToken,
    user: &UserId,
    now: SystemTime,
) -> Result<bool, AdminError> {
    Ok(conn.execute(
        "INSERT INTO offer_acceptances (token, user_id, accepted_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (token, user_id) DO NOTHING",
        params![token.to_string(), user, millis(now)],
    )? == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_hide_in_debug() {
        let token = OfferToken::generate();
        let text = token.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(text.parse::<OfferToken>().unwrap(), token);
        assert!(!format!("{token:?}").contains(&text));
        assert!(
            text.to_uppercase().parse::<OfferToken>().is_err()
                || text.chars().all(|c| c.is_ascii_digit())
        );
        assert!("xyz".parse::<OfferToken>().is_err());
    }
}
