//! Minting tokens with the server's RSA private key.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};

use super::claims::Claims;
use super::encoding::{encode_standard, encode_url};
use super::error::{KeyError, SignError};
use super::verifier::TokenVerifier;
use super::write::{jwt_json, legacy_json};

/// The JWT header we emit; verification insists on this `alg`.
pub(crate) const JWT_HEADER: &[u8] = br#"{"alg":"RS256","typ":"JWT"}"#;

/// Which of the two token forms to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenForm {
    /// `base64(JSON):base64(signature)`, what the original server and its SDKs
    /// (Realm Object Server 1.x–3.x clients, Realm Studio) use.
    Legacy,
    /// An RS256 JWT, what current SDKs require (they decode `exp`/`iat` themselves).
    Jwt,
}

/// Signs tokens: RSASSA-PKCS1-v1_5 with SHA-256, the only algorithm either form uses.
pub struct TokenSigner {
    key: KeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSigner")
            .field("modulus_bits", &(self.key.public_modulus_len() * 8))
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    pub fn new(key: KeyPair) -> TokenSigner {
        TokenSigner {
            key,
            rng: SystemRandom::new(),
        }
    }

    /// From the DER bytes of a PKCS#8 RSA private key (the body of `auth.key`).
    pub fn from_pkcs8(der: &[u8]) -> Result<TokenSigner, KeyError> {
        KeyPair::from_pkcs8(der)
            .map(TokenSigner::new)
            .map_err(|e| KeyError::PrivateKey(e.to_string()))
    }

    /// The public half as SubjectPublicKeyInfo DER (the body of `auth.pub`).
    pub fn public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        self.key
            .public_key()
            .as_der()
            .map(|der| der.as_ref().to_vec())
            .map_err(|e| KeyError::PublicKey {
                index: 0,
                reason: e.to_string(),
            })
    }

    /// A verifier that accepts this key only.
    pub fn verifier(&self) -> Result<TokenVerifier, KeyError> {
        TokenVerifier::new([self.public_key_der()?])
    }

    /// The signature over exactly `bytes`.
    pub fn sign_bytes(&self, bytes: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, bytes, &mut signature)
            .map_err(|_| SignError::Rsa)?;
        Ok(signature)
    }

    pub fn sign(&self, claims: &Claims, form: TokenForm) -> Result<String, SignError> {
        match form {
            TokenForm::Legacy => {
                let json = legacy_json(claims)?;
                let signature = self.sign_bytes(&json)?;
                Ok(format!(
                    "{}:{}",
                    encode_standard(&json),
                    encode_standard(&signature)
                ))
            }
            TokenForm::Jwt => {
                let signed = format!(
                    "{}.{}",
                    encode_url(JWT_HEADER),
                    encode_url(&jwt_json(claims)?)
                );
                let signature = self.sign_bytes(signed.as_bytes())?;
                Ok(format!("{signed}.{}", encode_url(&signature)))
            }
        }
    }
}
