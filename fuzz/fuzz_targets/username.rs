//! Reads arbitrary text as a username the way every door does (docs/cli-json.md,
//! "Usernames"). An accepted name is its own normal form, within the length
//! bound, shows nothing the terminal would obey, and shares its look-alike key
//! with itself re-normalized.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ros::admin::usernames::{normalize_username, username_key, MAX_USERNAME_CHARS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = normalize_username(text) {
        assert_eq!(normalize_username(&name).as_deref(), Ok(name.as_str()));
        assert!(name.chars().count() <= MAX_USERNAME_CHARS);
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert_eq!(ros::terminal::escape(&name), name.as_str());
        assert_eq!(username_key(&name), username_key(&username_key(&name)));
    }
});
