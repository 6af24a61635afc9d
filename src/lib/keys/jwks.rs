//! Keys that verify JWTs an app's own identity service signs (the app API's
//! `custom-token` provider, docs/app-api.md): one PEM public key, or a JWKS
//! document whose RSA keys are picked by `kid`.

use std::path::Path;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::PublicKeyComponents;
use base64::Engine as _;
use serde::Deserialize;

use super::{read, KeyError, PublicKey};

/// One verification key, with the `kid` a JWKS gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedKey {
    pub kid: Option<String>,
    pub key: PublicKey,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    usage: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

fn invalid(reason: impl Into<String>) -> KeyError {
    KeyError::Invalid {
        what: "JWKS document",
        reason: reason.into(),
    }
}

fn component(text: &str, name: &str) -> Result<Vec<u8>, KeyError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| invalid(format!("`{name}` is not base64url: {e}")))?;
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    Ok(bytes[start..].to_vec())
}

impl PublicKey {
    /// From an RSA key's modulus and exponent (big-endian bytes).
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<PublicKey, KeyError> {
        let bad = |reason: String| KeyError::Invalid {
            what: "RSA public key",
            reason,
        };
        let spki = PublicKeyComponents { n, e }
            .as_der()
            .map_err(|_| bad("the modulus and exponent do not form a key".into()))?;
        let key =
            aws_lc_rs::rsa::PublicKey::from_der(spki.as_ref()).map_err(|e| bad(e.to_string()))?;
        Ok(PublicKey::from_pkcs1(key.as_ref().to_vec()))
    }
}

/// The RSA signing keys of a JWKS document; keys of other types or uses are
/// skipped, and a document without any is an error.
pub fn parse_jwks(bytes: &[u8]) -> Result<Vec<NamedKey>, KeyError> {
    let jwks: Jwks = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
    let mut out = Vec::new();
    for jwk in jwks.keys {
        if jwk.kty != "RSA" || jwk.usage.as_deref().is_some_and(|u| u != "sig") {
            continue;
        }
        let (Some(n), Some(e)) = (&jwk.n, &jwk.e) else {
            return Err(invalid("an RSA key lacks `n` or `e`"));
        };
        let key = PublicKey::from_components(&component(n, "n")?, &component(e, "e")?)?;
        out.push(NamedKey { kid: jwk.kid, key });
    }
    if out.is_empty() {
        return Err(invalid("it holds no RSA signing key"));
    }
    Ok(out)
}

/// The keys of a JWKS file.
pub fn read_jwks(path: &Path) -> Result<Vec<NamedKey>, KeyError> {
    parse_jwks(&read(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::KeyPair as _;

    #[test]
    fn a_jwks_key_verifies_what_its_private_half_signs() {
        let pair = crate::keys::generate().unwrap();
        let private = crate::keys::PrivateKey::from_pem(pair.private_pem.as_bytes()).unwrap();
        let signature = private.sign(b"message").unwrap();
        let der = private.into_key_pair();
        let components = PublicKeyComponents::<Vec<u8>>::from(der.public_key());
        let url = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let doc = format!(
            r#"{{"keys":[{{"kty":"EC","crv":"P-256"}},{{"kty":"RSA","kid":"k1","use":"sig","n":"{}","e":"{}"}}]}}"#,
            url(&components.n),
            url(&components.e)
        );
        let keys = parse_jwks(doc.as_bytes()).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("k1"));
        assert!(keys[0].key.verify(b"message", &signature));
        assert!(!keys[0].key.verify(b"other", &signature));
        assert!(parse_jwks(br#"{"keys":[]}"#).is_err());
        assert!(parse_jwks(b"not json").is_err());
    }
}
