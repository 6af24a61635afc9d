//! Reads arbitrary bytes the two ways the app API meets foreign token material:
//! as a custom-token JWT a client sends (which must never be accepted without a
//! signature of the configured key, and never panic the check) and as a JWKS
//! document (docs/app-api.md, "Providers").

#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::SystemTime;

use libfuzzer_sys::fuzz_target;
use ros::app::CustomTokenKeys;
use ros::config::{CustomToken, CustomTokenKey};
use ros::keys::{NamedKey, PublicKey};

fn provider() -> &'static CustomTokenKeys {
    static PROVIDER: OnceLock<CustomTokenKeys> = OnceLock::new();
    PROVIDER.get_or_init(|| {
        let pair = ros::keys::generate().expect("key pair");
        let key = PublicKey::from_pem(pair.public_pem.as_bytes()).expect("public key");
        let options = CustomToken {
            key: CustomTokenKey::PublicKey(PathBuf::from("unused.pub")),
            audience: Some("aud".into()),
            user_id_claim: "sub".into(),
            metadata: BTreeMap::from([("email".to_string(), "email".to_string())]),
        };
        CustomTokenKeys::new(options, vec![NamedKey { kid: None, key }])
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(provider().verify(text, SystemTime::now()).is_err());
    }
    let _ = ros::keys::parse_jwks(data);
});
