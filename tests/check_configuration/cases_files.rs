//! Cases about files: the data directory, the token key pair and what an
//! unprivileged user may not read or write.

use std::os::unix::fs::PermissionsExt;

use super::cases::{auth, base, case, e, take_back, w, At, Case};
use super::fixtures::write;

pub fn all() -> Vec<Case> {
    use At::*;
    vec![
        case(
            "root_missing",
            &base().replace("root_path: data", "root_path: nowhere"),
            1,
            vec![e(
                "root-missing",
                "the data directory {dir}/nowhere does not exist",
                Spot(2, 14),
            )],
        ),
        case(
            "root_not_a_directory",
            &base().replace("root_path: data", "root_path: keys/auth.pub"),
            1,
            vec![e(
                "root-not-directory",
                "the data directory {dir}/keys/auth.pub is not a directory",
                Spot(2, 14),
            )],
        ),
        case(
            "key_file_missing",
            &auth("keys/none.pub", "keys/auth.key"),
            1,
            vec![e(
                "file-missing",
                "`auth.public_key_path`: {dir}/keys/none.pub does not exist",
                Spot(4, 20),
            )],
        ),
        Case {
            prepare: |d| write(&d.path.join("keys/auth.pub"), "hello\n", 0o644),
            ..case(
                "key_not_pem",
                &base(),
                1,
                vec![e(
                    "invalid-key",
                    "`auth.public_key_path`: {dir}/keys/auth.pub: the file is not in PEM format",
                    Spot(4, 20),
                )],
            )
        },
        case(
            "public_key_is_a_private_key",
            &auth("keys/auth.key", "keys/auth.key"),
            1,
            vec![e(
                "invalid-key",
                "`auth.public_key_path`: {dir}/keys/auth.key: the PEM block is `PRIVATE KEY`, \
                 expected `PUBLIC KEY` or `RSA PUBLIC KEY`",
                Spot(4, 20),
            )],
        ),
        case(
            "key_pair_mismatch",
            &auth("keys/other.pub", "keys/auth.key"),
            1,
            vec![e(
                "key-mismatch",
                "the private key {dir}/keys/auth.key and the public key {dir}/keys/other.pub \
                 are not a pair: a signature made with one does not verify with the other",
                Spot(4, 20),
            )],
        ),
        Case {
            prepare: |d| {
                std::fs::set_permissions(
                    d.path.join("keys/auth.key"),
                    std::fs::Permissions::from_mode(0o640),
                )
                .expect("chmod")
            },
            ..case(
                "private_key_readable_by_group",
                &base(),
                0,
                vec![w(
                    "key-permissions",
                    "the private key {dir}/keys/auth.key can be read by its group (mode 640)",
                    Spot(5, 21),
                )
                .hint("chmod 600 {dir}/keys/auth.key")],
            )
        },
        Case {
            nobody: true,
            prepare: |d| {
                take_back(&d.path.join("data"));
                std::fs::set_permissions(
                    d.path.join("data"),
                    std::fs::Permissions::from_mode(0o755),
                )
                .expect("chmod")
            },
            ..case(
                "root_not_writable_by_the_user",
                &base(),
                1,
                vec![e(
                    "root-permissions",
                    "the data directory {dir}/data is not writable by this user (uid 65534)",
                    Spot(2, 14),
                )],
            )
        },
        Case {
            nobody: true,
            prepare: |d| take_back(&d.path.join("keys/auth.key")),
            ..case(
                "private_key_unreadable_by_the_user",
                &base(),
                1,
                vec![e(
                    "file-unreadable",
                    "`auth.private_key_path`: {dir}/keys/auth.key is not readable by this user \
                     (uid 65534)",
                    Spot(5, 21),
                )],
            )
        },
    ]
}
