//! Why a token was refused, precisely enough for the HTTP layer to pick a status
//! (401 for everything here; revocation is the admin store's call) and for logs to
//! say what to fix.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use super::claims::TokenKind;

/// Which part of a token a decoding problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The JWT header.
    Header,
    Payload,
    Signature,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        })
    }
}

/// The token's text does not have the shape of either form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    #[error("neither `payload:signature` nor `header.payload.signature`")]
    NoSeparator,
    #[error("a JWT has three non-empty parts separated by `.`, this one has {found} part(s) or an empty one")]
    JwtParts { found: usize },
    #[error("the {0} is not base64")]
    Base64(Part),
    #[error("the {part} is not JSON: {detail}")]
    Json { part: Part, detail: String },
    #[error("the {0} is JSON but not an object")]
    NotAnObject(Part),
    #[error("`{field}` is missing")]
    MissingField { field: &'static str },
    #[error("`{field}` must be {expected}")]
    FieldType {
        field: String,
        expected: &'static str,
    },
    #[error("`{field}` has a value this server does not accept")]
    InvalidValue { field: String },
}

/// Why verification refused a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("malformed token: {0}")]
    Malformed(#[from] Malformed),
    #[error("the JWT algorithm {alg:?} is not accepted; tokens must be signed with RS256")]
    UnsupportedAlgorithm { alg: String },
    #[error("the signature does not match any of the accepted public keys")]
    BadSignature,
    #[error("the token expired at {} (unix seconds)", unix(*.at))]
    Expired { at: SystemTime },
    #[error("the token is not valid before {} (unix seconds)", unix(*.from))]
    NotYetValid { from: SystemTime },
    #[error("a {expected} token was needed, this is a {found} token")]
    WrongKind {
        expected: TokenKind,
        found: TokenKind,
    },
}

fn unix(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::from(d.as_secs()),
        Err(e) => -i128::from(e.duration().as_secs()),
    }
}

/// Why a token could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("a JWT must carry `iat` and `exp` (SDKs crash without them); the admin token and claims without an expiry can only be signed in the legacy form")]
    JwtNeedsTimes,
    #[error("RSA signing failed")]
    Rsa,
    #[error("cannot serialize the claims: {0}")]
    Json(#[from] serde_json::Error),
}

/// A key handed to the signer or verifier is not a usable RSA key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the signing key is not an RSA private key in PKCS#8 DER: {0}")]
    PrivateKey(String),
    #[error("public key #{index} is not an RSA public key in SPKI or PKCS#1 DER: {reason}")]
    PublicKey { index: usize, reason: String },
    #[error("at least one public key is needed to verify tokens")]
    NoPublicKey,
}
