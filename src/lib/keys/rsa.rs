//! The RSA pair behind every token: the server signs with the private key and
//! verifies with the public one, so a pair that does not match locks every client
//! out.
//!
//! Matching compares the public half of the private key with the public key file.
//! That is a proof, not a heuristic: aws-lc checks a private key's consistency
//! (`RSA_check_key`: n = p·q, d·e ≡ 1) when it parses it, so a parsed private key
//! verifies exactly the signatures of its own public half. A trial signature would
//! prove the same, but its first use seeds aws-lc's random generator, which cost
//! `check-configuration` about 100 ms a run on the 2-core CI machine.

use std::path::Path;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, UnparsedPublicKey};

use super::{first_block, read, KeyError};

/// Bits of a generated key: the original server's default.
pub const RSA_BITS: u32 = 2048;

/// An RSA private key that signs with RSASSA-PKCS1-v1_5 and SHA-256 (RS256).
#[derive(Debug)]
pub struct PrivateKey {
    pair: KeyPair,
}

/// An RSA public key, kept as the PKCS#1 `RSAPublicKey` DER that verification takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pkcs1: Vec<u8>,
}

impl PrivateKey {
    /// Accepts PKCS#8 (`PRIVATE KEY`) and PKCS#1 (`RSA PRIVATE KEY`) PEM.
    pub fn from_pem(bytes: &[u8]) -> Result<PrivateKey, KeyError> {
        let block = first_block(bytes)?;
        let parsed = match block.tag() {
            "PRIVATE KEY" => KeyPair::from_pkcs8(block.contents()),
            "RSA PRIVATE KEY" => KeyPair::from_der(block.contents()),
            other => {
                return Err(KeyError::UnexpectedLabel {
                    found: other.to_string(),
                    expected: "`PRIVATE KEY` or `RSA PRIVATE KEY`",
                })
            }
        };
        let pair = parsed.map_err(|e| KeyError::Invalid {
            what: "RSA private key",
            reason: e.to_string(),
        })?;
        Ok(PrivateKey { pair })
    }

    pub fn read(path: &Path) -> Result<PrivateKey, KeyError> {
        PrivateKey::from_pem(&read(path)?)
    }

    /// The key pair itself, for the token signer.
    pub fn into_key_pair(self) -> KeyPair {
        self.pair
    }

    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| KeyError::Invalid {
                what: "RSA private key",
                reason: "it cannot sign".to_string(),
            })?;
        Ok(signature)
    }

    pub fn public_key(&self) -> PublicKey {
        use aws_lc_rs::signature::KeyPair as _;
        PublicKey {
            pkcs1: self.pair.public_key().as_ref().to_vec(),
        }
    }

    /// True when `public` verifies what this key signs.
    pub fn matches(&self, public: &PublicKey) -> bool {
        self.public_key() == *public
    }
}

impl PublicKey {
    /// Accepts SPKI (`PUBLIC KEY`) and PKCS#1 (`RSA PUBLIC KEY`) PEM.
    pub fn from_pem(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let block = first_block(bytes)?;
        if !matches!(block.tag(), "PUBLIC KEY" | "RSA PUBLIC KEY") {
            return Err(KeyError::UnexpectedLabel {
                found: block.tag().to_string(),
                expected: "`PUBLIC KEY` or `RSA PUBLIC KEY`",
            });
        }
        let key = aws_lc_rs::rsa::PublicKey::from_der(block.contents()).map_err(|e| {
            KeyError::Invalid {
                what: "RSA public key",
                reason: e.to_string(),
            }
        })?;
        Ok(PublicKey {
            pkcs1: key.as_ref().to_vec(),
        })
    }

    pub fn read(path: &Path) -> Result<PublicKey, KeyError> {
        PublicKey::from_pem(&read(path)?)
    }

    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &self.pkcs1)
            .verify(message, signature)
            .is_ok()
    }

    pub(crate) fn from_pkcs1(pkcs1: Vec<u8>) -> PublicKey {
        PublicKey { pkcs1 }
    }

    /// PKCS#1 `RSAPublicKey` DER.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1
    }
}

/// A fresh pair in the layout `ros init` writes: PKCS#8 private, SPKI public.
#[derive(Debug, Clone)]
pub struct GeneratedPair {
    pub private_pem: String,
    pub public_pem: String,
}

pub fn generate() -> Result<GeneratedPair, KeyError> {
    let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Generate)?;
    let private = pair.as_der().map_err(|_| KeyError::Generate)?;
    let public = {
        use aws_lc_rs::signature::KeyPair as _;
        pair.public_key().as_der().map_err(|_| KeyError::Generate)?
    };
    Ok(GeneratedPair {
        private_pem: pem::encode(&pem::Pem::new("PRIVATE KEY", private.as_ref())),
        public_pem: pem::encode(&pem::Pem::new("PUBLIC KEY", public.as_ref())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pair_parses_and_matches_but_not_another() {
        let a = generate().expect("generate");
        let b = generate().expect("generate");
        let private = PrivateKey::from_pem(a.private_pem.as_bytes()).expect("private");
        let public_a = PublicKey::from_pem(a.public_pem.as_bytes()).expect("public");
        let public_b = PublicKey::from_pem(b.public_pem.as_bytes()).expect("public");
        assert!(private.matches(&public_a));
        assert!(!private.matches(&public_b));
        assert_eq!(private.public_key(), public_a);
        // What `matches` stands for: the matched key verifies this key's signatures.
        let signature = private.sign(b"probe").expect("sign");
        assert!(public_a.verify(b"probe", &signature));
        assert!(!public_b.verify(b"probe", &signature));
    }

    #[test]
    fn pkcs1_public_key_is_accepted() {
        let a = generate().expect("generate");
        let private = PrivateKey::from_pem(a.private_pem.as_bytes()).expect("private");
        let pkcs1 = pem::encode(&pem::Pem::new(
            "RSA PUBLIC KEY",
            private.public_key().pkcs1_der(),
        ));
        let public = PublicKey::from_pem(pkcs1.as_bytes()).expect("pkcs1 public");
        assert!(private.matches(&public));
    }

    #[test]
    fn wrong_label_and_garbage_are_refused() {
        let a = generate().expect("generate");
        assert!(matches!(
            PublicKey::from_pem(a.private_pem.as_bytes()),
            Err(KeyError::UnexpectedLabel { .. })
        ));
        assert!(matches!(
            PrivateKey::from_pem(b"not a key"),
            Err(KeyError::NotPem)
        ));
        let bogus = pem::encode(&pem::Pem::new("PRIVATE KEY", vec![1, 2, 3]));
        assert!(matches!(
            PrivateKey::from_pem(bogus.as_bytes()),
            Err(KeyError::Invalid { .. })
        ));
    }
}
