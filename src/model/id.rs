//! Identifiers: readable, validated slugs such as `northamptonshire-police`.
//!
//! Files name parties, agreements and governance bodies by slug. An id is a
//! shared string (`Arc<str>`): every membership, seat and reference to one
//! party shares one allocation, and cloning an id costs a reference count,
//! not a copy.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The longest slug accepted, in bytes.
pub const MAX_ID_LEN: usize = 100;

/// A slug that is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid id {id:?}: it {reason}")]
pub struct IdError {
    id: String,
    reason: &'static str,
}

impl IdError {
    /// The text given (at most 110 characters of it).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What is wrong with it, as the end of a sentence: `"is empty"`.
    #[must_use]
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// Checks that `text` is a slug: 1 to [`MAX_ID_LEN`] bytes of lowercase ASCII
/// letters, digits and single hyphens, starting and ending with a letter or
/// digit. Upper case and look-alike letters (Cyrillic `а` for Latin `a`) are
/// refused, so two ids that look alike are the same id or an error.
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
    ($(#[$doc:meta])* $name:ident, $example:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Validates `text` as a slug and wraps it.
            ///
            /// # Errors
            ///
            /// [`IdError`] when `text` is empty, longer than 100 bytes, or holds
            /// anything but lowercase letters, digits and single inner hyphens.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("use collab_registry::model::", stringify!($name), ";")]
            #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\")?;")]
            #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"Not A Slug\").is_err());")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn new(text: &str) -> Result<Self, IdError> {
                validate_slug(text)?;
                Ok(Self(text.into()))
            }

            /// The slug as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether two ids share one allocation: ids read from one file
            /// or handed out by one registry do, so comparing them this way
            /// costs one pointer comparison.
            #[must_use]
            pub fn ptr_eq(&self, other: &Self) -> bool {
                Arc::ptr_eq(&self.0, &other.0)
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

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::new(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

slug_id!(
    /// The id of a [`Party`](crate::model::Party), such as `northamptonshire-police`.
    PartyId,
    "northamptonshire-police"
);
slug_id!(
    /// The id of an [`Agreement`](crate::model::Agreement), such as `em-major-crime`.
    AgreementId,
    "em-major-crime"
);
slug_id!(
    /// The id of a [`GovernanceBody`](crate::model::GovernanceBody), such as
    /// `em-joint-management-board`.
    BodyId,
    "em-joint-management-board"
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
        for bad in [
            "",
            "Northants",
            "-a",
            "a-",
            "a--b",
            "a b",
            "a_b",
            "é",
            "\u{430}b",
        ] {
            assert!(PartyId::new(bad).is_err(), "{bad:?} should be refused");
        }
        let long = "a".repeat(MAX_ID_LEN + 1);
        assert_eq!(
            PartyId::new(&long).err().map(|e| e.reason()),
            Some("is longer than 100 bytes")
        );
    }

    #[test]
    fn ids_deserialise_only_as_valid_slugs() {
        let good: Result<AgreementId, _> = serde_json::from_str("\"em-major-crime\"");
        assert_eq!(
            good.ok().map(|id| id.to_string()).as_deref(),
            Some("em-major-crime")
        );
        let bad: Result<AgreementId, _> = serde_json::from_str("\"EM Major\"");
        assert!(bad.is_err());
    }
}
