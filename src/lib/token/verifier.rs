//! Checking tokens against the accepted public keys: the current one first, then
//! the previous ones (`auth.previous_public_key_paths`), so a rotated signing key
//! does not end every session at once.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use serde_json::Value;

use super::claims::{Claims, TokenKind};
use super::encoding::decode_lenient;
use super::error::{KeyError, Malformed, Part, VerifyError};
use super::read::{object_entries, read_claims};

/// How far in the future a token's `iat` may lie before it is refused: covers the
/// clock difference between the node that minted it and the one checking it.
pub const ISSUED_AT_LEEWAY: Duration = Duration::from_secs(60);

const ACCEPTED_ALG: &str = "RS256";

/// Verifies tokens of both forms.
pub struct TokenVerifier {
    keys: Vec<ParsedPublicKey>,
}

impl fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("keys", &self.keys.len())
            .finish()
    }
}

/// A token split into its parts, each decoded, signature not yet checked.
struct Framed<'a> {
    signed: SignedBytes<'a>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

enum SignedBytes<'a> {
    /// The legacy form signs the decoded JSON bytes (docs/protocol.md §11.3).
    Payload,
    /// A JWT signs the text `header.payload` as sent.
    Text(&'a str),
}

fn decode(text: &str, part: Part) -> Result<Vec<u8>, Malformed> {
    decode_lenient(text).ok_or(Malformed::Base64(part))
}

fn check_jwt_header(text: &str) -> Result<(), VerifyError> {
    let header = decode(text, Part::Header)?;
    let alg = object_entries(&header, Part::Header)?
        .into_iter()
        .rev()
        .find(|(key, _)| key == "alg")
        .map(|(_, value)| value);
    match alg {
        None => Err(Malformed::MissingField { field: "alg" }.into()),
        Some(Value::String(alg)) if alg == ACCEPTED_ALG => Ok(()),
        Some(Value::String(alg)) => Err(VerifyError::UnsupportedAlgorithm { alg }),
        Some(_) => Err(Malformed::FieldType {
            field: "alg".to_string(),
            expected: "a string",
        }
        .into()),
    }
}

fn frame(token: &str) -> Result<Framed<'_>, VerifyError> {
    if let Some((payload, signature)) = token.split_once(':') {
        return Ok(Framed {
            signed: SignedBytes::Payload,
            payload: decode(payload, Part::Payload)?,
            signature: decode(signature, Part::Signature)?,
        });
    }
    if !token.contains('.') {
        return Err(Malformed::NoSeparator.into());
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(Malformed::JwtParts { found: parts.len() }.into());
    };
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Malformed::JwtParts { found: parts.len() }.into());
    }
    check_jwt_header(header)?;
    Ok(Framed {
        signed: SignedBytes::Text(&token[..header.len() + 1 + payload.len()]),
        payload: decode(payload, Part::Payload)?,
        signature: decode(signature, Part::Signature)?,
    })
}

/// Decodes a token without checking its signature or times. Only for showing what a
/// token says (diagnostics, or reading our own admin token file to revoke it);
/// never decide access on its result.
pub fn inspect_unverified(token: &str) -> Result<Claims, VerifyError> {
    let framed = frame(token)?;
    Ok(read_claims(&framed.payload)?)
}

fn check_times(claims: &Claims, now: SystemTime) -> Result<(), VerifyError> {
    if let Some(at) = claims.expires {
        if now > at {
            return Err(VerifyError::Expired { at });
        }
    }
    if let Some(from) = claims.not_before {
        if now < from {
            return Err(VerifyError::NotYetValid { from });
        }
    }
    if let Some(from) = claims.issued_at {
        if from > now + ISSUED_AT_LEEWAY {
            return Err(VerifyError::NotYetValid { from });
        }
    }
    Ok(())
}

impl TokenVerifier {
    /// Accepts RSA public keys (2048 to 8192 bits) in SubjectPublicKeyInfo or PKCS#1
    /// DER; list the current key first, then the previous ones.
    pub fn new<I, B>(public_keys: I) -> Result<TokenVerifier, KeyError>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let keys = public_keys
            .into_iter()
            .enumerate()
            .map(|(index, der)| {
                ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der.as_ref()).map_err(|e| {
                    KeyError::PublicKey {
                        index,
                        reason: e.to_string(),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(KeyError::NoPublicKey);
        }
        Ok(TokenVerifier { keys })
    }

    /// Checks form, signature and times (`expires` passed at `now` ⇒ expired; `nbf`
    /// or an `iat` beyond the leeway still ahead ⇒ not yet valid) and returns what
    /// the token says. Revocation, sessions and users are the admin store's part.
    pub fn verify(&self, token: &str, now: SystemTime) -> Result<Claims, VerifyError> {
        let framed = frame(token)?;
        let signed = match framed.signed {
            SignedBytes::Payload => framed.payload.as_slice(),
            SignedBytes::Text(text) => text.as_bytes(),
        };
        if !self
            .keys
            .iter()
            .any(|key| key.verify_sig(signed, &framed.signature).is_ok())
        {
            return Err(VerifyError::BadSignature);
        }
        let claims = read_claims(&framed.payload)?;
        check_times(&claims, now)?;
        Ok(claims)
    }

    /// `verify`, and the token must be of `kind`.
    pub fn verify_kind(
        &self,
        token: &str,
        kind: TokenKind,
        now: SystemTime,
    ) -> Result<Claims, VerifyError> {
        let claims = self.verify(token, now)?;
        if claims.kind != kind {
            return Err(VerifyError::WrongKind {
                expected: kind,
                found: claims.kind,
            });
        }
        Ok(claims)
    }
}
