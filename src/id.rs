//! Identifiers: readable, validated slugs such as `northamptonshire-police`.
//!
//! Files name parties, agreements and governance bodies by slug. Inside the
//! [`Registry`](crate::Registry) each is also given a dense index, so hot
//! queries never hash a string; the slug is what callers and files see.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::IdError;

/// The longest slug accepted, in bytes.
pub const MAX_ID_LEN: usize = 100;

/// Checks that `text` is a slug: 1 to [`MAX_ID_LEN`] bytes of lowercase ASCII
/// letters, digits and single hyphens, starting and ending with a letter or digit.
fn validate_slug(text: &str) -> Result<(), IdError> {
    let problem = if text.is_empty() {
        Some("is empty")
    } else if text.len() > MAX_ID_LEN {
        Some("is longer than 100 bytes")
    } else if !text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("may hold only lowercase letters a-z, digits and hyphens")
    } else if text.starts_with('-') || text.ends_with('-') {
        Some("may not start or end with a hyphen")
    } else if text.contains("--") {
        Some("may not hold two hyphens in a row")
    } else {
        None
    };
    match problem {
        Some(reason) => Err(IdError {
            id: text.chars().take(MAX_ID_LEN + 10).collect(),
            reason,
        }),
        None => Ok(()),
    }
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates `text` as a slug and wraps it.
            ///
            /// # Errors
            ///
            /// [`IdError`] when `text` is empty, longer than 100 bytes, or holds
            /// anything but lowercase letters, digits and single inner hyphens.
            pub fn new(text: &str) -> Result<Self, IdError> {
                validate_slug(text)?;
                Ok(Self(text.into()))
            }

            /// The slug as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(text: &str) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// The id of a [`Party`](crate::Party), such as `northamptonshire-police`.
    PartyId
);
slug_id!(
    /// The id of an [`Agreement`](crate::Agreement), such as `emscu-major-crime`.
    AgreementId
);
slug_id!(
    /// The id of a [`GovernanceBody`](crate::GovernanceBody), such as `em-joint-management-board`.
    BodyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_and_refuses_the_rest() {
        assert_eq!(
            PartyId::new("northamptonshire-police")
                .map(|id| id.to_string())
                .ok(),
            Some("northamptonshire-police".to_string())
        );
        assert!(PartyId::new("x1").is_ok());
        for bad in ["", "Northants", "-a", "a-", "a--b", "a b", "a_b", "é"] {
            let err = PartyId::new(bad).err();
            assert!(err.is_some(), "{bad:?} should be refused");
        }
        let long = "a".repeat(MAX_ID_LEN + 1);
        assert_eq!(
            PartyId::new(&long).err().map(|e| e.reason),
            Some("is longer than 100 bytes")
        );
    }
}
