//! The keyword enums of the file format (`"police_force"`, `"active"`,
//! `"roads_policing"`), each read and written by its file name through
//! `FromStr`, `Display` and serde, one definition apiece.

use thiserror::Error;

/// A name that is not one of a keyword enum's file names.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown {what} {text:?}; expected one of: {expected}")]
pub struct KeywordError {
    what: &'static str,
    text: String,
    expected: String,
}

impl KeywordError {
    pub(crate) fn new(what: &'static str, text: &str, names: &[&str]) -> Self {
        KeywordError {
            what,
            text: text.chars().take(60).collect(),
            expected: names.join(", "),
        }
    }

    /// What was being read, such as `"party kind"`.
    #[must_use]
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The text given.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Defines a keyword enum: the variants with their file names and docs,
/// `ALL`, `as_str`, `FromStr`, `Display`, `Serialize` and `Deserialize`.
macro_rules! keywords {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in file order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The name used in files.
            #[must_use]
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::keyword::KeywordError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)*
                    _ => Err($crate::model::keyword::KeywordError::new(
                        $what,
                        text,
                        &[$($text),*],
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use keywords;
