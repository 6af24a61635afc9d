//! What a username of the password provider may be, for every door that makes
//! one (registration, the admin API, `PUT /auth/users`, `ros user add`): they all
//! end in the admin store's one account insert, which calls
//! [`normalize_username`] and refuses a look-alike of an existing name
//! ([`username_key`]). Rules and limits are in docs/cli-json.md ("Usernames").

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::token::UserId;

/// The longest username, in characters (after NFC normalization).
pub const MAX_USERNAME_CHARS: usize = 128;

/// Names with a meaning of their own: the default grantee of a permission
/// (`*`) and the caller in a Realm path (`~`).
const RESERVED: [&str; 2] = ["*", "~"];

/// Why a username is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("a username cannot be empty")]
    Empty,
    #[error("a username may hold at most {MAX_USERNAME_CHARS} characters; this one has {0}")]
    TooLong(usize),
    #[error(
        "a username cannot hold control, invisible or unassigned characters; character {position} is {shown}"
    )]
    Forbidden { position: usize, shown: String },
    #[error("a username cannot start or end with white space")]
    Space,
    #[error(
        "`{0}` is reserved (`*` names every user in a permission, `~` the caller in a Realm path)"
    )]
    Reserved(String),
    #[error("a username cannot be 24 hexadecimal digits: it would read as a user id")]
    LooksLikeId,
}

/// Characters that hide or reorder text, or mean nothing yet.
fn forbidden(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// The username as stored: `raw` in NFC (so a name typed composed or
/// decomposed is one name), or why it is refused.
pub fn normalize_username(raw: &str) -> Result<String, UsernameError> {
    let name: String = raw.nfc().collect();
    if name.is_empty() {
        return Err(UsernameError::Empty);
    }
    let count = name.chars().count();
    if count > MAX_USERNAME_CHARS {
        return Err(UsernameError::TooLong(count));
    }
    if let Some((i, c)) = name.chars().enumerate().find(|(_, c)| forbidden(*c)) {
        return Err(UsernameError::Forbidden {
            position: i + 1,
            shown: format!("U+{:04X}", u32::from(c)),
        });
    }
    if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        return Err(UsernameError::Space);
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(UsernameError::Reserved(name));
    }
    if name.to_ascii_lowercase().parse::<UserId>().is_ok() {
        return Err(UsernameError::LooksLikeId);
    }
    Ok(name)
}

/// What look-alike names share: compatibility-normalized (fullwidth `Ａ` is
/// `A`) and lower-cased. Two accounts with one key are one name to a person.
pub fn username_key(name: &str) -> String {
    let folded: String = name.nfkc().collect::<String>().to_lowercase();
    folded.nfkc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stored_in_nfc() {
        assert_eq!(normalize_username("Jose\u{301}").unwrap(), "José");
        assert_eq!(normalize_username("Åsa Öberg").unwrap(), "Åsa Öberg");
    }

    #[test]
    fn controls_invisibles_reserved_forms_and_long_names_are_refused() {
        let refused = |raw: &str| normalize_username(raw).unwrap_err();
        assert_eq!(refused(""), UsernameError::Empty);
        assert!(matches!(
            refused("a\u{1b}[31m"),
            UsernameError::Forbidden { position: 2, .. }
        ));
        assert!(matches!(refused("a\nb"), UsernameError::Forbidden { .. }));
        assert!(matches!(refused("nul\0x"), UsernameError::Forbidden { .. }));
        assert!(matches!(
            refused("del\u{7f}"),
            UsernameError::Forbidden { .. }
        ));
        assert!(matches!(
            refused("al\u{200b}ice"),
            UsernameError::Forbidden { .. }
        ));
        assert!(matches!(
            refused("\u{202e}evil"),
            UsernameError::Forbidden { .. }
        ));
        assert_eq!(refused(" alice"), UsernameError::Space);
        assert_eq!(refused("*"), UsernameError::Reserved("*".into()));
        assert_eq!(refused("~"), UsernameError::Reserved("~".into()));
        assert_eq!(
            refused("0123456789abcdef01234567"),
            UsernameError::LooksLikeId
        );
        assert_eq!(
            refused("0123456789ABCDEF01234567"),
            UsernameError::LooksLikeId
        );
        assert_eq!(refused(&"x".repeat(129)), UsernameError::TooLong(129));
        assert!(normalize_username(&"é".repeat(128)).is_ok());
    }

    #[test]
    fn look_alikes_share_a_key() {
        let key = username_key("alice");
        for look_alike in ["Alice", "ALICE", "ａｌｉｃｅ", "Ａlice"] {
            assert_eq!(username_key(look_alike), key, "{look_alike}");
        }
        assert_eq!(username_key("José"), username_key("JOSE\u{301}"));
        assert_ne!(username_key("alice"), username_key("alicia"));
    }
}
