//! The tie-break order between concurrent changesets (`docs/merge.md` §2).

/// Origin timestamp, then origin file ident; there is no third key. Every peer
/// computes the same discriminant for a changeset, so every peer breaks ties the
/// same way.
///
/// The derived order compares the fields in declaration order, which is exactly
/// realm-core's `Discriminant::operator<`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Discriminant {
    /// Milliseconds since 2015-01-01T00:00:00Z when the changeset was first
    /// committed, on its producer's clock.
    pub timestamp: u64,
    /// The file ident of the producer (never 0: a server-made change counts as
    /// file 1).
    pub file_ident: u64,
}

/// The server's own file ident (`g_root_node_file_ident`).
pub const SERVER_FILE_IDENT: u64 = 1;

impl Discriminant {
    pub fn new(timestamp: u64, file_ident: u64) -> Discriminant {
        Discriminant {
            timestamp,
            file_ident,
        }
    }

    /// The discriminant of a changeset whose stored origin file ident is
    /// `origin`, where 0 means "made here" and stands for `local_file_ident`.
    pub fn of_origin(timestamp: u64, origin: u64, local_file_ident: u64) -> Discriminant {
        let file_ident = if origin == 0 {
            local_file_ident
        } else {
            origin
        };
        Discriminant::new(timestamp, file_ident)
    }
}
