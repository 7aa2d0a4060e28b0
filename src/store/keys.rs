//! Dense keys: the position of a record in the registry, in the order
//! records were added. Records are never removed, so a key stays valid for
//! the life of the registry it came from.

use serde::Serialize;

macro_rules! dense_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The position, from 0, in the order records were added.
            #[must_use]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

dense_key!(
    /// The dense key of a party in a registry: records are never removed, so
    /// a key stays valid for the life of the registry it came from. The
    /// accessors that take a key return `None` for a key the registry never
    /// gave out (one from another, larger registry), so a key cannot panic.
    PartyKey
);
dense_key!(
    /// The dense key of an agreement in a registry; see [`PartyKey`].
    AgreementKey
);
dense_key!(
    /// The dense key of a governance body in a registry; see [`PartyKey`].
    BodyKey
);
