//! Rights a token grants on its Realm, as a set.

use std::fmt;

/// The `access` word that marks a refresh token rather than granting a right.
pub(crate) const REFRESH: &str = "refresh";

/// One right a token can grant on its Realm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Right {
    /// May read: sync downloads.
    Download,
    /// May write: sync uploads.
    Upload,
    /// May change permissions.
    Manage,
}

impl Right {
    pub const ALL: [Right; 3] = [Right::Download, Right::Upload, Right::Manage];

    /// The word used in the tokens' `access` list.
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Download => "download",
            Right::Upload => "upload",
            Right::Manage => "manage",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub(crate) fn parse(word: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// A set of rights. `refresh` is not a right: it marks a refresh token and lives in
/// `TokenKind`, so an access set can never make a token a refresh token by accident.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Access(u8);

impl Access {
    pub const NONE: Access = Access(0);
    /// What admins get on every Realm.
    pub const ALL: Access = Access(0b111);

    pub fn contains(self, right: Right) -> bool {
        self.0 & right.bit() != 0
    }

    pub fn with(self, right: Right) -> Access {
        Access(self.0 | right.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rights in their canonical order: download, upload, manage.
    pub fn iter(self) -> impl Iterator<Item = Right> {
        Right::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Right> for Access {
    fn from_iter<I: IntoIterator<Item = Right>>(rights: I) -> Access {
        rights.into_iter().fold(Access::NONE, Access::with)
    }
}

impl fmt::Debug for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Right::as_str))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_sets_list_rights_in_canonical_order() {
        let set: Access = [Right::Manage, Right::Download].into_iter().collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Right::Download, Right::Manage]
        );
        assert!(!set.contains(Right::Upload));
        assert_eq!(Access::ALL.iter().count(), 3);
        assert!(Access::NONE.is_empty());
    }
}
