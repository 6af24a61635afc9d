//! The JSON payload as we emit it, exactly.
//!
//! The legacy form uses the original server's field names and order
//! (docs/original-server.md §3.2: `app_id`, `identity`, `access`, `salt`, `expires`, then
//! the kind's own fields), compact as Node's `JSON.stringify` made it; JWTs use the
//! claim names SDKs and realm-core read (`sub`, `typ`, `exp`, `iat`, ...).
//! Ours in both: `sid`, the refresh session id.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::access::{Right, REFRESH};
use super::claims::{Claims, Salt, TokenKind};
use super::error::SignError;

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[derive(Serialize)]
struct LegacyPayload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    identity: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_admin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
}

fn access_words(claims: &Claims) -> Vec<&'static str> {
    match claims.kind {
        TokenKind::Refresh => vec![REFRESH],
        TokenKind::Access | TokenKind::Admin => claims.access.iter().map(Right::as_str).collect(),
    }
}

/// The exact JSON bytes of the legacy form.
pub(crate) fn legacy_json(claims: &Claims) -> Result<Vec<u8>, SignError> {
    let is_admin = match claims.kind {
        TokenKind::Refresh => Some(claims.is_admin),
        TokenKind::Access => claims.is_admin.then_some(true),
        TokenKind::Admin => None,
    };
    let payload = LegacyPayload {
        app_id: claims.app_id.as_deref(),
        identity: claims.identity.to_string(),
        access: access_words(claims),
        salt: claims.salt.as_ref().map(Salt::as_str),
        expires: claims.expires.map(unix_seconds),
        path: claims.path.as_deref(),
        sync_label: claims.sync_label.as_deref(),
        is_admin,
        sid: claims.session.map(|s| s.to_string()),
    };
    Ok(serde_json::to_vec(&payload)?)
}

/// The legacy payload as a JSON value: what the original's `POST /auth` answered
/// as `token_data` beside each token.
pub fn legacy_payload(claims: &Claims) -> Result<serde_json::Value, SignError> {
    Ok(serde_json::from_slice(&legacy_json(claims)?)?)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JwtPayload<'a> {
    sub: String,
    typ: &'static str,
    exp: i64,
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_label: Option<&'a str>,
    is_admin: bool,
}

/// The exact JSON bytes of a JWT payload. `iat` and `exp` are required: SDKs abort
/// on a JWT without them (docs/original-server.md §3.3).
pub(crate) fn jwt_json(claims: &Claims) -> Result<Vec<u8>, SignError> {
    let (Some(iat), Some(exp)) = (claims.issued_at, claims.expires) else {
        return Err(SignError::JwtNeedsTimes);
    };
    let payload = JwtPayload {
        sub: claims.identity.to_string(),
        typ: match claims.kind {
            TokenKind::Refresh => REFRESH,
            TokenKind::Access | TokenKind::Admin => "access",
        },
        exp: unix_seconds(exp),
        iat: unix_seconds(iat),
        app_id: claims.app_id.as_deref(),
        sid: claims.session.map(|s| s.to_string()),
        salt: claims.salt.as_ref().map(Salt::as_str),
        access: access_words(claims),
        path: claims.path.as_deref(),
        sync_label: claims.sync_label.as_deref(),
        is_admin: claims.is_admin,
    };
    Ok(serde_json::to_vec(&payload)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::access::Access;
    use crate::token::claims::Identity;
    use crate::token::id::{SessionId, UserId};
    use std::time::Duration;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn refresh_payload_has_the_original_field_order() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let session: SessionId = "65f1c0de2a9b4c00aaaaaaaa".parse().unwrap();
        let mut claims = Claims::refresh(
            user,
            session,
            true,
            at(1_790_000_000),
            Duration::from_secs(60),
        );
        claims.salt = Some(Salt::from_token("0a1b2c3d".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.Auth","identity":"65f1c0de2a9b4c0012345678","access":["refresh"],"salt":"0a1b2c3d","expires":1790000060,"is_admin":true,"sid":"65f1c0de2a9b4c00aaaaaaaa"}"#
        );
    }

    #[test]
    fn access_payload_lists_path_and_label_after_the_common_fields() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let access = Access::NONE.with(Right::Upload).with(Right::Download);
        let mut claims = Claims::access(
            Identity::User(user),
            Some("/x/y".into()),
            access,
            at(100),
            Duration::from_secs(600),
        )
        .with_sync_label("default");
        claims.salt = Some(Salt::from_token("00000000".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.Auth","identity":"65f1c0de2a9b4c0012345678","access":["download","upload"],"salt":"00000000","expires":700,"path":"/x/y","sync_label":"default"}"#
        );
    }

    #[test]
    fn admin_payload_has_no_expiry_no_path_no_flag() {
        let mut claims = Claims::admin();
        claims.salt = Some(Salt::from_token("ffffffff".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.auth","identity":"__admin","access":["download","upload","manage"],"salt":"ffffffff"}"#
        );
    }

    #[test]
    fn jwt_payload_has_integer_times_and_our_claims() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let session: SessionId = "65f1c0de2a9b4c00aaaaaaaa".parse().unwrap();
        let mut claims = Claims::access(
            Identity::User(user),
            Some("/p".into()),
            Access::ALL,
            at(1_790_000_000),
            Duration::from_secs(1800),
        )
        .with_session(session);
        claims.salt = Some(Salt::from_token("01234567".into()));
        let json = String::from_utf8(jwt_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"sub":"65f1c0de2a9b4c0012345678","typ":"access","exp":1790001800,"iat":1790000000,"appId":"io.realm.Auth","sid":"65f1c0de2a9b4c00aaaaaaaa","salt":"01234567","access":["download","upload","manage"],"path":"/p","isAdmin":false}"#
        );
        assert!(matches!(
            jwt_json(&Claims::admin()),
            Err(SignError::JwtNeedsTimes)
        ));
    }
}
