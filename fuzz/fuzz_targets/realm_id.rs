//! Reads arbitrary bytes as a Realm identifier the three ways one arrives: as a
//! BIND's bytes, as a URL path segment (decoded once), and as text an operator
//! typed. Whatever is accepted must print back to itself, and its on-disk name
//! must stay inside `realms/` with no `.`/`..` component and no name over 255
//! bytes.

#![no_main]

use std::path::Component;

use libfuzzer_sys::fuzz_target;
use ros::realm_id::{storage_name, RealmId, RealmPath};

const IDENTITY: &str = "0123456789abcdef01234567";

fn check(id: &RealmId) {
    let text = id.to_string();
    assert_eq!(&RealmId::parse(&text, None).expect("display parses"), id);
    let name = storage_name(id);
    assert!(name.starts_with("realms"));
    for component in name.components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str().expect("names are ASCII");
                assert!(part.len() <= 255, "{part}");
                assert!(part != "." && part != "..");
                assert!(part.bytes().all(|b| b.is_ascii_graphic()), "{part}");
            }
            other => panic!("{other:?} in {}", name.display()),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(id) = RealmId::from_bind(data, Some(IDENTITY)) {
        check(&id);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(path) = RealmPath::from_url(text, Some(IDENTITY)) {
            assert!(!path.as_str().contains('%'));
            check(&RealmId::Path(path));
        }
        if let Ok(id) = RealmId::parse(text, None) {
            check(&id);
        }
    }
});
