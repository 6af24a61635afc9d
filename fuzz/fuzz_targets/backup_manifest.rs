//! Parses arbitrary bytes as a backup manifest (read from a backup directory
//! anyone may hand over). Whatever parses must name only paths inside the
//! backup, and must write back to bytes that parse to the same manifest.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ros::backup::Manifest;

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = Manifest::parse(data) else { return };
    for file in &manifest.files {
        let path = std::path::Path::new(&file.path);
        assert!(path.is_relative(), "{path:?}");
        assert!(
            path.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{path:?}"
        );
    }
    let again = Manifest::parse(&manifest.to_json()).expect("a written manifest parses");
    assert_eq!(again, manifest);
});
