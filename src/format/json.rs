//! A strict, exact JSON reader for the registry's files.
//!
//! Why not `serde_json::Value`: the registry must keep every value it does not
//! understand *exactly* (a number is kept as the text it was written as, so
//! `123456789012345678901234567890` survives a load and a save), must refuse a
//! repeated key instead of silently keeping the last one, and must say where a
//! problem is as a document path (`agreements[3].members[1].party`) as well as a
//! line and column. It is also faster: strings without escapes are borrowed from
//! the input instead of copied, and every array and object is allocated once, at
//! its exact size.
//!
//! What it promises, whatever the input:
//! - RFC 8259 and nothing more: no comments, no trailing commas, no `NaN`, no
//!   leading `+` or `0`, only space, tab, LF and CR as whitespace.
//! - No panic, no `unsafe`, no recursion deeper than [`MAX_DEPTH`] levels, and no
//!   step that is quadratic in the input (objects with many keys check repeats
//!   with a hash set).
//! - Clean parses pay nothing for error reporting: the line, column and path are
//!   worked out only when an error is returned.
//!
//! Two ways in: [`parse`] builds the whole tree; [`Parser`] walks a document
//! piece by piece (a huge top-level object record by record) and builds trees
//! only for the parts asked for, so a 1 GB file need not become a 4 GB tree.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::{self, Write as _};

/// The deepest nesting of arrays and objects accepted.
///
/// Why: the tree builder recurses once per level, so this bounds its stack use
/// (a few hundred bytes a level) whatever the input. 128 levels is far beyond any
/// registry file and is also `serde_json`'s limit.
pub(crate) const MAX_DEPTH: usize = 128;

/// The longest input accepted, in bytes (2 GiB - 1).
///
/// Why: a registry file is at most about 1 GB; a bigger input is a mistake, and
/// refusing it up front keeps every offset far from overflowing.
pub(crate) const MAX_INPUT: usize = i32::MAX as usize;

/// The longest string, in bytes of JSON text: one mebibyte, far beyond any
/// name, title, purpose or note a register holds, and small enough that a
/// hostile file of one huge string is refused at its path rather than held.
pub(crate) const MAX_STRING: usize = 1 << 20;

/// Objects with up to this many keys check a new key against the others one by
/// one (cheaper than hashing for the small objects that make up most files);
/// bigger ones switch to a hash set, so a hostile object with 500,000 keys costs
/// linear time, not quadratic.
const LINEAR_KEYS: usize = 16;

/// How many characters of a key an error message shows.
const SHOWN_KEY_CHARS: usize = 100;

/// A parsed JSON value that borrows from the text where it can.
///
/// Why borrowed: most strings in a registry file (ids, dates, names) have no
/// escapes, so they are slices of the input and cost no allocation. A value is
/// 32 bytes; an object field 56.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'t> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number exactly as written (already checked against the JSON grammar).
    Number(&'t str),
    /// Borrowed when the string has no escapes.
    String(Cow<'t, str>),
    /// Elements in file order.
    Array(Vec<Json<'t>>),
    /// Fields in file order; a repeated key is a syntax error, so keys are unique.
    Object(Vec<(Cow<'t, str>, Json<'t>)>),
}

/// Where a syntax error is and what it is.
///
/// Why so much detail: a person fixes a registry file by hand, in an editor that
/// shows lines and columns, and thinks of it as a document of named parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// What is wrong.
    pub(crate) kind: SyntaxErrorKind,
    /// Byte offset from the start of the input.
    pub(crate) offset: usize,
    /// Line from 1 (lines end at LF).
    pub(crate) line: usize,
    /// Column from 1 (columns count characters, not bytes).
    pub(crate) column: usize,
    /// The document path of the value being read when the error was found, written like
    /// `agreements[3].members[1].party`, or `$` for the top level. Keys that are not plain
    /// identifiers ([A-Za-z_][A-Za-z0-9_]*) are written quoted in brackets: `extra["a key"]`
    /// (with `"`, `\` and control characters escaped as in JSON, and keys longer than 100
    /// characters cut short with `…`). An element of a top-level array is `[3]`.
    pub(crate) path: String,
}

/// What a syntax error is. Its `Display` is a short lower-case English phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum SyntaxErrorKind {
    /// The input starts with EF BB BF (offset 0).
    ByteOrderMark,
    /// The input is not UTF-8; the offset is the first invalid byte.
    InvalidUtf8,
    /// The input ends inside a value (the offset is the input's length).
    UnexpectedEnd,
    /// A character that cannot be here, such as `x` in `tru`x or a curly quote.
    UnexpectedCharacter(char),
    /// A value should start here (found `]`, `}`, `,` or `:`).
    ExpectedValue,
    /// A `:` should follow the key.
    ExpectedColon,
    /// A `,` or the closing `]` / `}` should follow the value.
    ExpectedCommaOrEnd,
    /// A key in double quotes should be here (also after a trailing comma).
    ExpectedKey,
    /// A number that breaks the JSON grammar: `01`, `1.`, `.5`, `+1`, `-`, `1e`.
    InvalidNumber,
    /// A `\` escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`; the offset is the `\`.
    InvalidEscape,
    /// A `\u` escape of half a UTF-16 surrogate pair; the offset is its `\`.
    LoneSurrogate,
    /// A raw character below U+0020 inside a string (such as a line break).
    ControlCharacterInString,
    /// The key (its first 100 characters) is already in this object.
    DuplicateKey(String),
    /// More than [`MAX_DEPTH`] levels of arrays and objects; the offset is the bracket too many.
    TooDeep,
    /// Something other than whitespace follows the top-level value.
    TrailingCharacters,
    /// No value at all: the input is empty or only whitespace.
    Empty,
    /// The input is longer than [`MAX_INPUT`] (reported at offset 0).
    TooLarge,
    /// A string longer than [`MAX_STRING`] bytes; the offset is its start.
    StringTooLong,
}

impl fmt::Display for SyntaxErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ByteOrderMark => {
                f.write_str("a UTF-8 byte order mark starts the file; save it as UTF-8 without one")
            }
            Self::InvalidUtf8 => f.write_str("invalid UTF-8; the file must be saved as UTF-8"),
            Self::UnexpectedEnd => f.write_str("the input ends inside a value (is it cut short?)"),
            Self::UnexpectedCharacter(c) => describe_character(*c, f),
            Self::ExpectedValue => f.write_str("expected a value"),
            Self::ExpectedColon => f.write_str("expected ':' after the key"),
            Self::ExpectedCommaOrEnd => f.write_str("expected ',' or a closing bracket"),
            Self::ExpectedKey => f.write_str("expected a key in double quotes"),
            Self::InvalidNumber => f.write_str(
                "invalid number (JSON numbers look like -12.5e3, with no leading '+', '0' or '.')",
            ),
            Self::InvalidEscape => f.write_str(
                "invalid escape (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)",
            ),
            Self::LoneSurrogate => f.write_str("a \\u escape of an unpaired UTF-16 surrogate"),
            Self::ControlCharacterInString => f.write_str(
                "a control character inside a string (write it as an escape such as \\n)",
            ),
            Self::DuplicateKey(key) => write!(f, "duplicate key {key:?}"),
            Self::TooDeep => write!(f, "nested more than {MAX_DEPTH} levels deep"),
            Self::TrailingCharacters => f.write_str("unexpected characters after the value"),
            Self::Empty => f.write_str("no value: the input is empty or only whitespace"),
            Self::TooLarge => write!(f, "the input is longer than {MAX_INPUT} bytes"),
            Self::StringTooLong => write!(f, "a string longer than {MAX_STRING} bytes"),
        }
    }
}

/// `unexpected character 'x'`, with a hint for the look-alikes that hand-edited
/// files get: curly quotes, single quotes, invisible spaces.
fn describe_character(c: char, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let hint = match c {
        '\'' => " (JSON strings need double quotes)",
        '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' => {
            " (a curly quote; JSON needs straight double quotes)"
        }
        '\u{A0}' => " (a no-break space; JSON whitespace is only space, tab and line breaks)",
        '\u{FEFF}' => " (a byte order mark)",
        c if c.is_control() => " (a control character)",
        _ => "",
    };
    if c.is_ascii_graphic() {
        write!(f, "unexpected character '{c}'{hint}")
    } else if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' {
        write!(f, "unexpected character U+{:04X}{hint}", u32::from(c))
    } else {
        write!(
            f,
            "unexpected character '{c}' (U+{:04X}){hint}",
            u32::from(c)
        )
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {} (line {}, column {}, byte {})",
            self.kind, self.path, self.line, self.column, self.offset
        )
    }
}

impl std::error::Error for SyntaxError {}

impl SyntaxError {
    /// An error about the input as a whole (too large, a byte order mark).
    fn at_start(kind: SyntaxErrorKind) -> SyntaxError {
        SyntaxError {
            kind,
            offset: 0,
            line: 1,
            column: 1,
            path: String::from("$"),
        }
    }
}

/// Parses a whole document (one value, only whitespace around it).
///
/// Cost: one pass over the input to check UTF-8, one to parse; one allocation per
/// non-empty array or object (at its exact size) and per string with escapes.
///
/// # Errors
/// The first syntax error in the input, with its place (see [`SyntaxError`]).
pub(crate) fn parse(input: &[u8]) -> Result<Json<'_>, SyntaxError> {
    let mut parser = Parser::new(input)?;
    let value = parser.value()?;
    parser.finish()?;
    Ok(value)
}

/// One step of a document path: the key (by the offset of its first byte after
/// the opening quote, decoded only when an error is rendered) or an index.
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(usize),
    Index(usize),
}

/// A syntax error on its way out of the recursive reader. Each level it leaves
/// adds its step, innermost first, so the path costs nothing until there is an
/// error. Boxed so that results stay small.
struct Fail {
    kind: SyntaxErrorKind,
    offset: usize,
    steps: Vec<Step>,
}

type Res<T> = Result<T, Box<Fail>>;

#[cold]
#[inline(never)]
fn fail<T>(kind: SyntaxErrorKind, offset: usize) -> Res<T> {
    Err(Box::new(Fail {
        kind,
        offset,
        steps: Vec::new(),
    }))
}

/// A container being walked with the streaming calls.
struct Frame<'t> {
    object: bool,
    /// Keys or elements started so far.
    count: usize,
    /// `next_key` / `next_element` said there is a value, and it has not been read yet.
    awaiting_value: bool,
    /// The key or index of the child being read, if any (for the path).
    step: Option<Step>,
    /// The keys seen so far (objects), until there are enough for `key_set`.
    keys: Vec<Cow<'t, str>>,
    key_set: Option<HashSet<Cow<'t, str>>>,
}

/// Where decoded string text goes: a `String`, or nowhere when a value is skipped.
trait Sink {
    fn push_str(&mut self, text: &str);
    fn push(&mut self, c: char);
}

impl Sink for String {
    #[inline]
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }
    #[inline]
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

struct Discard;

impl Sink for Discard {
    #[inline]
    fn push_str(&mut self, _: &str) {}
    #[inline]
    fn push(&mut self, _: char) {}
}

/// A cursor over a JSON document that can stream containers and build trees of
/// parts of it.
///
/// Why: the loader reads a huge top-level object record by record (each record a
/// small tree from [`Parser::value`]), so peak memory is one record, not the file.
/// The streaming calls and `value` / `skip_value` mix freely.
///
/// After any error the parser is spent: every later call returns the same error.
/// Calls in an order the grammar does not allow (a `value` where a key or a comma
/// is due, say) are reported as the syntax error found at the cursor.
pub(crate) struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    frames: Vec<Frame<'t>>,
    /// The top-level value has been begun (so a second one is trailing characters).
    top_started: bool,
    /// Scratch stacks shared by all levels of the tree builder: a container pushes
    /// its children here and moves them into an exact-size `Vec` when it closes.
    elems: Vec<Json<'t>>,
    fields: Vec<(Cow<'t, str>, Json<'t>)>,
    /// The keys of the objects being skipped, as a stack like `fields`.
    skip_keys: Vec<Cow<'t, str>>,
    failed: Option<SyntaxError>,
}

impl<'t> Parser<'t> {
    /// Checks the size, the byte order mark and UTF-8 validity (once, up front),
    /// then stands before the top-level value.
    ///
    /// Cost: one pass over the input (`std::str::from_utf8`). On invalid UTF-8 a
    /// second pass over the valid part finds the path where the bad byte is.
    ///
    /// # Errors
    /// `TooLarge`, `ByteOrderMark` or `InvalidUtf8`.
    pub(crate) fn new(input: &'t [u8]) -> Result<Parser<'t>, SyntaxError> {
        if input.len() > MAX_INPUT {
            return Err(SyntaxError::at_start(SyntaxErrorKind::TooLarge));
        }
        if input.starts_with(b"\xEF\xBB\xBF") {
            return Err(SyntaxError::at_start(SyntaxErrorKind::ByteOrderMark));
        }
        match std::str::from_utf8(input) {
            Ok(text) => {
                let mut parser = Parser::over(text);
                parser.elems.reserve(64);
                parser.fields.reserve(64);
                Ok(parser)
            }
            Err(error) => Err(invalid_utf8(input, error.valid_up_to())),
        }
    }

    /// A parser over text already known to be UTF-8, with no scratch space yet.
    fn over(text: &'t str) -> Parser<'t> {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            frames: Vec::new(),
            top_started: false,
            elems: Vec::new(),
            fields: Vec::new(),
            skip_keys: Vec::new(),
            failed: None,
        }
    }

    /// The next non-whitespace byte, without consuming it (None at end of input).
    ///
    /// Why: lets the caller choose between `begin_object`, `begin_array` and
    /// `value` by what comes next. Cost: skips whitespace.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `{`; then call `next_key` until it returns None (it consumes the `}`).
    ///
    /// # Errors
    /// `UnexpectedCharacter` if the next value is not an object; `TooDeep`; `Empty`.
    pub(crate) fn begin_object(&mut self) -> Result<(), SyntaxError> {
        self.guard(|p| {
            let depth = p.begin_child()?;
            p.open(depth, true)
        })
    }

    /// The next key of the object being streamed (consuming the comma before it and the colon
    /// after it), or None after consuming `}`. Refuses a key already seen in this object
    /// (`DuplicateKey`). While the caller reads the key's value, the path names that key.
    ///
    /// If the previous key's value was not read, it is skipped (and checked) first, so a
    /// loop over the keys may read only the values it wants.
    ///
    /// Cost: the key, plus a hash insert once the object has more than 16 keys.
    ///
    /// # Errors
    /// Any syntax error between here and the start of the value.
    pub(crate) fn next_key(&mut self) -> Result<Option<Cow<'t, str>>, SyntaxError> {
        self.guard(Parser::next_key_inner)
    }

    /// Consumes `[`; then call `next_element` before each element; it returns false after
    /// consuming `]`. While the caller reads an element, the path names its index.
    ///
    /// # Errors
    /// `UnexpectedCharacter` if the next value is not an array; `TooDeep`; `Empty`.
    pub(crate) fn begin_array(&mut self) -> Result<(), SyntaxError> {
        self.guard(|p| {
            let depth = p.begin_child()?;
            p.open(depth, false)
        })
    }

    /// Whether the array being streamed has another element (consuming the comma before
    /// it), or false after consuming `]`. An element not read by the caller is skipped
    /// (and checked) first.
    ///
    /// # Errors
    /// Any syntax error between here and the start of the element.
    pub(crate) fn next_element(&mut self) -> Result<bool, SyntaxError> {
        self.guard(Parser::next_element_inner)
    }

    /// Parses one complete value at the cursor into a tree (depth counted from the
    /// cursor's own depth).
    ///
    /// Cost: as [`parse`], for this value only.
    ///
    /// # Errors
    /// The first syntax error in the value.
    pub(crate) fn value(&mut self) -> Result<Json<'t>, SyntaxError> {
        self.guard(|p| {
            let depth = p.begin_child()?;
            let value = p.value_at(depth)?;
            p.child_done();
            Ok(value)
        })
    }

    /// Skips one complete value without building it (still fully checked, repeated
    /// keys included).
    ///
    /// Cost: a pass over the value; allocates only to remember the keys of its objects.
    ///
    /// # Errors
    /// The first syntax error in the value.
    pub(crate) fn skip_value(&mut self) -> Result<(), SyntaxError> {
        self.guard(|p| {
            let depth = p.begin_child()?;
            p.skip_at(depth)?;
            p.child_done();
            Ok(())
        })
    }

    /// After the top-level value: only whitespace may remain (`TrailingCharacters`
    /// otherwise).
    ///
    /// Containers still open are read to their ends first, and a top-level value
    /// never read is skipped, so a successful `finish` means the whole input is one
    /// valid document.
    ///
    /// # Errors
    /// The first syntax error in what is left, `TrailingCharacters`, or `Empty`.
    pub(crate) fn finish(mut self) -> Result<(), SyntaxError> {
        self.guard(Parser::finish_inner)
    }

    /// The current document path, rendered as in [`SyntaxError::path`].
    ///
    /// Cost: decodes the keys on the path; meant for messages.
    #[cfg(test)]
    pub(crate) fn path(&self) -> String {
        let steps: Vec<Step> = self.frames.iter().filter_map(|frame| frame.step).collect();
        render_path(self.text, &steps)
    }

    // ---- the streaming machinery ----

    /// Runs one public call: refuses it if the parser has failed before, and turns
    /// a failure into a located error (and remembers it).
    fn guard<T>(&mut self, call: impl FnOnce(&mut Self) -> Res<T>) -> Result<T, SyntaxError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match call(self) {
            Ok(value) => Ok(value),
            Err(failure) => {
                let error = self.locate(*failure);
                self.failed = Some(error.clone());
                Err(error)
            }
        }
    }

    /// Adds the line, column and full path to a failure.
    #[cold]
    fn locate(&self, failure: Fail) -> SyntaxError {
        let mut steps: Vec<Step> = self.frames.iter().filter_map(|frame| frame.step).collect();
        steps.extend(failure.steps.iter().rev());
        let (line, column) = line_column(self.bytes, failure.offset);
        SyntaxError {
            kind: failure.kind,
            offset: failure.offset,
            line,
            column,
            path: render_path(self.text, &steps),
        }
    }

    /// Checks that a value may start here and returns its depth (the number of
    /// containers around it).
    fn begin_child(&mut self) -> Res<usize> {
        let depth = self.frames.len();
        let misplaced = match self.frames.last_mut() {
            None if !self.top_started => {
                self.skip_ws();
                if self.pos >= self.bytes.len() {
                    return fail(SyntaxErrorKind::Empty, self.pos);
                }
                self.top_started = true;
                return Ok(depth);
            }
            None => SyntaxErrorKind::TrailingCharacters,
            Some(frame) if frame.awaiting_value => {
                frame.awaiting_value = false;
                return Ok(depth);
            }
            Some(frame) if frame.object => SyntaxErrorKind::ExpectedKey,
            Some(_) => SyntaxErrorKind::ExpectedCommaOrEnd,
        };
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return fail(SyntaxErrorKind::UnexpectedEnd, self.pos);
        }
        fail(misplaced, self.pos)
    }

    /// The child of the innermost streamed container has been read.
    fn child_done(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            frame.step = None;
        }
    }

    /// Consumes the `{` or `[` of a streamed container at `depth`.
    fn open(&mut self, depth: usize, object: bool) -> Res<()> {
        self.skip_ws();
        let at = self.pos;
        let bracket = if object { b'{' } else { b'[' };
        match self.bytes.get(at) {
            Some(&b) if b == bracket => {
                if depth >= MAX_DEPTH {
                    return fail(SyntaxErrorKind::TooDeep, at);
                }
                self.pos = at.wrapping_add(1);
                self.frames.push(Frame {
                    object,
                    count: 0,
                    awaiting_value: false,
                    step: None,
                    keys: Vec::new(),
                    key_set: None,
                });
                Ok(())
            }
            Some(_) => fail(SyntaxErrorKind::UnexpectedCharacter(self.char_at(at)), at),
            None => fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
    }

    /// Closes the innermost streamed container (its bracket already consumed).
    fn close_frame(&mut self) {
        self.frames.pop();
        self.child_done();
    }

    /// Skips the value that `next_key` / `next_element` announced if the caller did
    /// not read it.
    fn skip_unread(&mut self) -> Res<()> {
        let depth = self.frames.len();
        if self.frames.last().is_some_and(|frame| frame.awaiting_value) {
            self.skip_at(depth)?;
            if let Some(frame) = self.frames.last_mut() {
                frame.awaiting_value = false;
            }
            self.child_done();
        }
        Ok(())
    }

    fn next_key_inner(&mut self) -> Res<Option<Cow<'t, str>>> {
        match self.frames.last() {
            Some(frame) if frame.object => {}
            Some(_) => {
                self.skip_ws();
                return fail(SyntaxErrorKind::ExpectedCommaOrEnd, self.pos);
            }
            None => {
                self.skip_ws();
                return fail(SyntaxErrorKind::ExpectedKey, self.pos);
            }
        }
        self.skip_unread()?;
        let first = self.frames.last().is_none_or(|frame| frame.count == 0);
        self.skip_ws();
        let mut at = self.pos;
        match self.bytes.get(at) {
            Some(b'}') => {
                self.pos = at.wrapping_add(1);
                self.close_frame();
                return Ok(None);
            }
            Some(b',') if !first => {
                self.pos = at.wrapping_add(1);
                self.skip_ws();
                at = self.pos;
            }
            Some(b'"') if first => {}
            Some(_) if first => return fail(SyntaxErrorKind::ExpectedKey, at),
            Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, at),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
        match self.bytes.get(at) {
            Some(b'"') => {}
            Some(_) => return fail(SyntaxErrorKind::ExpectedKey, at),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
        let key_start = at.wrapping_add(1);
        self.pos = key_start;
        let key = self.string()?;
        let Some(frame) = self.frames.last_mut() else {
            return fail(SyntaxErrorKind::ExpectedKey, at);
        };
        frame.step = Some(Step::Key(key_start));
        frame.count = frame.count.saturating_add(1);
        if is_duplicate(frame.keys.iter(), &mut frame.key_set, &key) {
            return fail(SyntaxErrorKind::DuplicateKey(shown_key(&key)), at);
        }
        if frame.key_set.is_none() {
            frame.keys.push(key.clone());
        }
        self.colon()?;
        if let Some(frame) = self.frames.last_mut() {
            frame.awaiting_value = true;
        }
        Ok(Some(key))
    }

    fn next_element_inner(&mut self) -> Res<bool> {
        match self.frames.last() {
            Some(frame) if !frame.object => {}
            Some(_) => {
                self.skip_ws();
                return fail(SyntaxErrorKind::ExpectedKey, self.pos);
            }
            None => {
                self.skip_ws();
                return fail(SyntaxErrorKind::ExpectedCommaOrEnd, self.pos);
            }
        }
        self.skip_unread()?;
        let count = self.frames.last().map_or(0, |frame| frame.count);
        self.skip_ws();
        let at = self.pos;
        match self.bytes.get(at) {
            Some(b']') => {
                self.pos = at.wrapping_add(1);
                self.close_frame();
                return Ok(false);
            }
            Some(b',') if count > 0 => self.pos = at.wrapping_add(1),
            Some(_) if count == 0 => {}
            Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, at),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.step = Some(Step::Index(count));
            frame.count = count.saturating_add(1);
            frame.awaiting_value = true;
        }
        Ok(true)
    }

    fn finish_inner(&mut self) -> Res<()> {
        while let Some(frame) = self.frames.last() {
            if frame.object {
                while self.next_key_inner()?.is_some() {}
            } else {
                while self.next_element_inner()? {}
            }
        }
        if !self.top_started {
            self.begin_child()?;
            self.skip_at(0)?;
        }
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return fail(SyntaxErrorKind::TrailingCharacters, self.pos);
        }
        Ok(())
    }

    // ---- the reader proper ----

    /// Skips JSON whitespace (space, tab, LF, CR only).
    #[inline]
    fn skip_ws(&mut self) {
        let mut pos = self.pos;
        // Offsets stay below MAX_INPUT, so adding 1 cannot wrap.
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(pos) {
            pos = pos.wrapping_add(1);
        }
        self.pos = pos;
    }

    /// The character at `at` (a character boundary), for messages.
    fn char_at(&self, at: usize) -> char {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or('\u{FFFD}')
    }

    /// The text between two offsets that are character boundaries.
    #[inline]
    fn slice(&self, start: usize, end: usize) -> Res<&'t str> {
        match self.text.get(start..end) {
            Some(text) => Ok(text),
            // Cannot happen: both ends are next to ASCII bytes of valid UTF-8.
            None => fail(SyntaxErrorKind::InvalidUtf8, start),
        }
    }

    /// Consumes `:` and the whitespace around it.
    #[inline]
    fn colon(&mut self) -> Res<()> {
        self.skip_ws();
        let at = self.pos;
        match self.bytes.get(at) {
            Some(b':') => {
                self.pos = at.wrapping_add(1);
                Ok(())
            }
            Some(_) => fail(SyntaxErrorKind::ExpectedColon, at),
            None => fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
    }

    /// Consumes the `{` or `[` at `at`, returning the depth inside it.
    #[inline]
    fn enter(&mut self, depth: usize, at: usize) -> Res<usize> {
        if depth >= MAX_DEPTH {
            return fail(SyntaxErrorKind::TooDeep, at);
        }
        self.pos = at.wrapping_add(1);
        Ok(depth.saturating_add(1))
    }

    /// The error for a byte that cannot start a value.
    #[cold]
    fn not_a_value<T>(&self, at: usize) -> Res<T> {
        let kind = match self.bytes.get(at) {
            Some(b']' | b'}' | b',' | b':') => SyntaxErrorKind::ExpectedValue,
            Some(b'+' | b'.') => SyntaxErrorKind::InvalidNumber,
            Some(_) => SyntaxErrorKind::UnexpectedCharacter(self.char_at(at)),
            None => SyntaxErrorKind::UnexpectedEnd,
        };
        fail(kind, at)
    }

    /// Reads one value into a tree; `depth` is the number of containers around it.
    fn value_at(&mut self, depth: usize) -> Res<Json<'t>> {
        self.skip_ws();
        let at = self.pos;
        match self.bytes.get(at) {
            Some(b'"') => {
                self.pos = at.wrapping_add(1);
                self.string().map(Json::String)
            }
            Some(b'{') => {
                let inner = self.enter(depth, at)?;
                self.object(inner)
            }
            Some(b'[') => {
                let inner = self.enter(depth, at)?;
                self.array(inner)
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b't') => self.literal(b"true").map(|()| Json::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| Json::Bool(false)),
            Some(b'n') => self.literal(b"null").map(|()| Json::Null),
            _ => self.not_a_value(at),
        }
    }

    /// Reads the rest of an array (after `[`) into a tree.
    fn array(&mut self, depth: usize) -> Res<Json<'t>> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b']') => {
                self.pos = self.pos.wrapping_add(1);
                return Ok(Json::Array(Vec::new()));
            }
            None => return fail(SyntaxErrorKind::UnexpectedEnd, self.pos),
            Some(_) => {}
        }
        let base = self.elems.len();
        let mut index: usize = 0;
        loop {
            match self.value_at(depth) {
                Ok(value) => self.elems.push(value),
                Err(mut failure) => {
                    failure.steps.push(Step::Index(index));
                    return Err(failure);
                }
            }
            // At most one element per input byte, so this cannot wrap.
            index = index.wrapping_add(1);
            self.skip_ws();
            let at = self.pos;
            match self.bytes.get(at) {
                Some(b',') => self.pos = at.wrapping_add(1),
                Some(b']') => {
                    self.pos = at.wrapping_add(1);
                    break;
                }
                Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, at),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
        }
        // One allocation at the exact size; the scratch stack keeps its capacity.
        // (Deeper levels leave the stack as they found it, so `base` is in range;
        // the `min` only makes that plain.)
        let base = base.min(self.elems.len());
        Ok(Json::Array(self.elems.drain(base..).collect()))
    }

    /// Reads the rest of an object (after `{`) into a tree.
    fn object(&mut self, depth: usize) -> Res<Json<'t>> {
        self.skip_ws();
        let mut at = self.pos;
        match self.bytes.get(at) {
            Some(b'}') => {
                self.pos = at.wrapping_add(1);
                return Ok(Json::Object(Vec::new()));
            }
            Some(b'"') => {}
            Some(_) => return fail(SyntaxErrorKind::ExpectedKey, at),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
        let base = self.fields.len();
        let mut key_set = None;
        loop {
            // `at` is the key's opening quote.
            let key_start = at.wrapping_add(1);
            self.pos = key_start;
            let key = self.string()?;
            match self.field_value(depth, base, &mut key_set, &key, at) {
                Ok(value) => self.fields.push((key, value)),
                Err(mut failure) => {
                    failure.steps.push(Step::Key(key_start));
                    return Err(failure);
                }
            }
            self.skip_ws();
            let separator = self.pos;
            match self.bytes.get(separator) {
                Some(b',') => {}
                Some(b'}') => {
                    self.pos = separator.wrapping_add(1);
                    break;
                }
                Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, separator),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, separator),
            }
            self.pos = separator.wrapping_add(1);
            self.skip_ws();
            at = self.pos;
            match self.bytes.get(at) {
                Some(b'"') => {}
                Some(_) => return fail(SyntaxErrorKind::ExpectedKey, at),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
        }
        let base = base.min(self.fields.len());
        Ok(Json::Object(self.fields.drain(base..).collect()))
    }

    /// After a key (whose quote is at `at`): refuses a repeat, then reads `:` and the value.
    #[inline]
    fn field_value(
        &mut self,
        depth: usize,
        base: usize,
        key_set: &mut Option<HashSet<Cow<'t, str>>>,
        key: &Cow<'t, str>,
        at: usize,
    ) -> Res<Json<'t>> {
        let earlier = self
            .fields
            .get(base..)
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| k);
        if is_duplicate(earlier, key_set, key) {
            return fail(SyntaxErrorKind::DuplicateKey(shown_key(key)), at);
        }
        self.colon()?;
        self.value_at(depth)
    }

    /// Checks one value without building it; `depth` as for `value_at`.
    fn skip_at(&mut self, depth: usize) -> Res<()> {
        self.skip_ws();
        let at = self.pos;
        match self.bytes.get(at) {
            Some(b'"') => {
                self.pos = at.wrapping_add(1);
                self.skip_string()
            }
            Some(b'{') => {
                let inner = self.enter(depth, at)?;
                self.skip_object(inner)
            }
            Some(b'[') => {
                let inner = self.enter(depth, at)?;
                self.skip_array(inner)
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => self.not_a_value(at),
        }
    }

    fn skip_array(&mut self, depth: usize) -> Res<()> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b']') => {
                self.pos = self.pos.wrapping_add(1);
                return Ok(());
            }
            None => return fail(SyntaxErrorKind::UnexpectedEnd, self.pos),
            Some(_) => {}
        }
        let mut index: usize = 0;
        loop {
            if let Err(mut failure) = self.skip_at(depth) {
                failure.steps.push(Step::Index(index));
                return Err(failure);
            }
            self.skip_ws();
            let at = self.pos;
            match self.bytes.get(at) {
                Some(b',') => self.pos = at.wrapping_add(1),
                Some(b']') => {
                    self.pos = at.wrapping_add(1);
                    return Ok(());
                }
                Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, at),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
            // At most one element per input byte, so this cannot wrap.
            index = index.wrapping_add(1);
        }
    }

    fn skip_object(&mut self, depth: usize) -> Res<()> {
        self.skip_ws();
        let mut at = self.pos;
        match self.bytes.get(at) {
            Some(b'}') => {
                self.pos = at.wrapping_add(1);
                return Ok(());
            }
            Some(b'"') => {}
            Some(_) => return fail(SyntaxErrorKind::ExpectedKey, at),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
        }
        let base = self.skip_keys.len();
        let mut key_set = None;
        loop {
            let key_start = at.wrapping_add(1);
            self.pos = key_start;
            let key = self.string()?;
            let earlier = self.skip_keys.get(base..).unwrap_or_default().iter();
            let result = if is_duplicate(earlier, &mut key_set, &key) {
                fail(SyntaxErrorKind::DuplicateKey(shown_key(&key)), at)
            } else {
                if key_set.is_none() {
                    self.skip_keys.push(key);
                }
                self.colon().and_then(|()| self.skip_at(depth))
            };
            if let Err(mut failure) = result {
                failure.steps.push(Step::Key(key_start));
                return Err(failure);
            }
            self.skip_ws();
            let separator = self.pos;
            match self.bytes.get(separator) {
                Some(b',') => {}
                Some(b'}') => {
                    self.pos = separator.wrapping_add(1);
                    break;
                }
                Some(_) => return fail(SyntaxErrorKind::ExpectedCommaOrEnd, separator),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, separator),
            }
            self.pos = separator.wrapping_add(1);
            self.skip_ws();
            at = self.pos;
            match self.bytes.get(at) {
                Some(b'"') => {}
                Some(_) => return fail(SyntaxErrorKind::ExpectedKey, at),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
        }
        self.skip_keys.truncate(base);
        Ok(())
    }

    /// Consumes `word` (`true`, `false` or `null`) at the cursor.
    #[inline]
    fn literal(&mut self, word: &'static [u8]) -> Res<()> {
        let start = self.pos;
        let end = start.wrapping_add(word.len());
        if self.bytes.get(start..end) == Some(word) {
            self.pos = end;
            return Ok(());
        }
        self.literal_mismatch(start, word)
    }

    #[cold]
    fn literal_mismatch<T>(&self, start: usize, word: &'static [u8]) -> Res<T> {
        for (at, expected) in (start..).zip(word) {
            match self.bytes.get(at) {
                Some(b) if b == expected => {}
                Some(_) => return fail(SyntaxErrorKind::UnexpectedCharacter(self.char_at(at)), at),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
        }
        fail(SyntaxErrorKind::ExpectedValue, start)
    }

    /// Consumes a number at the cursor, checking the grammar
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, and returns its text.
    #[inline]
    fn number(&mut self) -> Res<&'t str> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut pos = start;
        if bytes.get(pos) == Some(&b'-') {
            pos = pos.wrapping_add(1);
        }
        match bytes.get(pos) {
            Some(b'0') => {
                pos = pos.wrapping_add(1);
                if bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    return fail(SyntaxErrorKind::InvalidNumber, pos);
                }
            }
            Some(b'1'..=b'9') => pos = digits(bytes, pos.wrapping_add(1)),
            Some(_) => return fail(SyntaxErrorKind::InvalidNumber, pos),
            None => return fail(SyntaxErrorKind::UnexpectedEnd, pos),
        }
        if bytes.get(pos) == Some(&b'.') {
            pos = required_digits(bytes, pos.wrapping_add(1))?;
        }
        if let Some(b'e' | b'E') = bytes.get(pos) {
            pos = pos.wrapping_add(1);
            if let Some(b'+' | b'-') = bytes.get(pos) {
                pos = pos.wrapping_add(1);
            }
            pos = required_digits(bytes, pos)?;
        }
        self.pos = pos;
        self.slice(start, pos)
    }

    /// Reads the rest of a string (after its opening quote), borrowing it when it has
    /// no escapes.
    #[inline]
    fn string(&mut self) -> Res<Cow<'t, str>> {
        let start = self.pos;
        let end = self.scan_plain(start);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end.wrapping_add(1);
                self.bounded(start)?;
                self.slice(start, end).map(Cow::Borrowed)
            }
            Some(b'\\') => {
                let mut out = String::with_capacity(end.saturating_sub(start).saturating_add(16));
                self.escaped(start, end, &mut out)?;
                self.bounded(start)?;
                Ok(Cow::Owned(out))
            }
            Some(_) => fail(SyntaxErrorKind::ControlCharacterInString, end),
            None => fail(SyntaxErrorKind::UnexpectedEnd, end),
        }
    }

    /// Refuses the string just read, from `start` (after its opening quote)
    /// to its closing quote (just before the position reached), when it is
    /// longer than [`MAX_STRING`].
    #[inline]
    fn bounded(&self, start: usize) -> Res<()> {
        if self.pos.saturating_sub(start).saturating_sub(1) > MAX_STRING {
            return fail(SyntaxErrorKind::StringTooLong, start.saturating_sub(1));
        }
        Ok(())
    }

    /// Checks the rest of a string without keeping it.
    #[inline]
    fn skip_string(&mut self) -> Res<()> {
        let start = self.pos;
        let end = self.scan_plain(start);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end.wrapping_add(1);
                self.bounded(start)
            }
            Some(b'\\') => {
                self.escaped(start, end, &mut Discard)?;
                self.bounded(start)
            }
            Some(_) => fail(SyntaxErrorKind::ControlCharacterInString, end),
            None => fail(SyntaxErrorKind::UnexpectedEnd, end),
        }
    }

    /// The first offset at or after `pos` holding `"`, `\` or a byte below 0x20, or
    /// the input's length. Eight bytes at a time: a byte matches when the word minus
    /// 0x01 (or 0x20) in every byte borrows through it, the usual SWAR test; the
    /// lowest flagged byte is always a true match.
    #[inline]
    fn scan_plain(&self, mut pos: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        const QUOTES: u64 = ONES * 0x22;
        const BACKSLASHES: u64 = ONES * 0x5C;
        const SPACES: u64 = ONES * 0x20;
        let bytes = self.bytes;
        while let Some(chunk) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
            let word = u64::from_le_bytes(*chunk);
            let quote = word ^ QUOTES;
            let backslash = word ^ BACKSLASHES;
            let found = (quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash)
                | (word.wrapping_sub(SPACES) & !word);
            let found = found & HIGHS;
            if found != 0 {
                // trailing_zeros is at most 64, so the byte index is at most 8.
                let index = usize::try_from(found.trailing_zeros() >> 3).unwrap_or(0);
                return pos.wrapping_add(index);
            }
            pos = pos.wrapping_add(8);
        }
        while let Some(&b) = bytes.get(pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return pos;
            }
            pos = pos.wrapping_add(1);
        }
        pos
    }

    /// Decodes a string from its first escape (`pos` is the first `\`; the text
    /// from `start` to `pos` is plain) to its closing quote.
    #[inline(never)]
    fn escaped<S: Sink>(&mut self, start: usize, mut pos: usize, out: &mut S) -> Res<()> {
        let mut run = start;
        loop {
            match self.bytes.get(pos) {
                Some(b'"') => {
                    out.push_str(self.slice(run, pos)?);
                    self.pos = pos.wrapping_add(1);
                    return Ok(());
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run, pos)?);
                    let decoded = match self.bytes.get(pos.wrapping_add(1)) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{C}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, next) = self.unicode_escape(pos)?;
                            out.push(c);
                            pos = next;
                            run = pos;
                            pos = self.scan_plain(pos);
                            continue;
                        }
                        Some(_) => return fail(SyntaxErrorKind::InvalidEscape, pos),
                        None => return fail(SyntaxErrorKind::UnexpectedEnd, self.bytes.len()),
                    };
                    out.push(decoded);
                    pos = pos.wrapping_add(2);
                    run = pos;
                }
                Some(_) => return fail(SyntaxErrorKind::ControlCharacterInString, pos),
                None => return fail(SyntaxErrorKind::UnexpectedEnd, pos),
            }
            pos = self.scan_plain(pos);
        }
    }

    /// Decodes the `\uXXXX` escape whose `\` is at `escape` (and the low half that
    /// must follow a high surrogate); returns the character and the offset after it.
    fn unicode_escape(&self, escape: usize) -> Res<(char, usize)> {
        let first = self.hex4(escape)?;
        let after = escape.wrapping_add(6);
        let code = match first {
            0xD800..=0xDBFF => {
                match (self.bytes.get(after), self.bytes.get(after.wrapping_add(1))) {
                    (Some(b'\\'), Some(b'u')) => {}
                    (None, _) | (Some(b'\\'), None) => {
                        return fail(SyntaxErrorKind::UnexpectedEnd, self.bytes.len());
                    }
                    _ => return fail(SyntaxErrorKind::LoneSurrogate, escape),
                }
                let second = self.hex4(after)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return fail(SyntaxErrorKind::LoneSurrogate, escape);
                }
                let code = 0x1_0000_u32.wrapping_add(((first & 0x3FF) << 10) | (second & 0x3FF));
                return match char::from_u32(code) {
                    Some(c) => Ok((c, after.wrapping_add(6))),
                    None => fail(SyntaxErrorKind::LoneSurrogate, escape),
                };
            }
            0xDC00..=0xDFFF => return fail(SyntaxErrorKind::LoneSurrogate, escape),
            code => code,
        };
        match char::from_u32(code) {
            Some(c) => Ok((c, after)),
            None => fail(SyntaxErrorKind::LoneSurrogate, escape),
        }
    }

    /// The four hex digits after the `\u` whose `\` is at `escape`.
    fn hex4(&self, escape: usize) -> Res<u32> {
        let mut code = 0_u32;
        for at in escape.wrapping_add(2)..escape.wrapping_add(6) {
            match self.bytes.get(at) {
                Some(&b) => match char::from(b).to_digit(16) {
                    Some(digit) => code = (code << 4) | digit,
                    None => return fail(SyntaxErrorKind::InvalidEscape, escape),
                },
                None => return fail(SyntaxErrorKind::UnexpectedEnd, at),
            }
        }
        Ok(code)
    }
}

/// The offset after the ASCII digits from `pos`.
#[inline]
fn digits(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos = pos.wrapping_add(1);
    }
    pos
}

/// One or more digits from `pos` (for a fraction or an exponent).
#[inline]
fn required_digits(bytes: &[u8], pos: usize) -> Res<usize> {
    match bytes.get(pos) {
        Some(b) if b.is_ascii_digit() => Ok(digits(bytes, pos.wrapping_add(1))),
        Some(_) => fail(SyntaxErrorKind::InvalidNumber, pos),
        None => fail(SyntaxErrorKind::UnexpectedEnd, pos),
    }
}

/// Whether `key` is among the keys of the object so far (`earlier`, or `key_set`
/// once it exists). Linear up to [`LINEAR_KEYS`] keys; then the keys move into a
/// hash set (std's, seeded at random, so a hostile file cannot make it slow) and
/// every later key is inserted there instead.
#[inline]
#[allow(clippy::ptr_arg)] // The key is cloned into the set as a `Cow`, borrowed when it can be.
fn is_duplicate<'a, 't: 'a>(
    mut earlier: impl ExactSizeIterator<Item = &'a Cow<'t, str>>,
    key_set: &mut Option<HashSet<Cow<'t, str>>>,
    key: &Cow<'t, str>,
) -> bool {
    if let Some(set) = key_set {
        return !set.insert(key.clone());
    }
    if earlier.len() < LINEAR_KEYS {
        return earlier.any(|k| k == key);
    }
    let mut set = HashSet::with_capacity(earlier.len().saturating_mul(4));
    set.extend(earlier.cloned());
    let repeated = !set.insert(key.clone());
    *key_set = Some(set);
    repeated
}

/// A key as a `DuplicateKey` error holds it: its first 100 characters.
fn shown_key(key: &str) -> String {
    key.chars().take(SHOWN_KEY_CHARS).collect()
}

/// The error for invalid UTF-8 at `valid_up_to`, with the path found by checking
/// the valid part before it (which ends inside the value holding the bad byte).
#[cold]
fn invalid_utf8(input: &[u8], valid_up_to: usize) -> SyntaxError {
    let prefix = input
        .get(..valid_up_to)
        .and_then(|valid| std::str::from_utf8(valid).ok());
    let path = match prefix {
        Some(text) => {
            let mut parser = Parser::over(text);
            match parser.skip_value() {
                Err(error)
                    if error.kind == SyntaxErrorKind::UnexpectedEnd
                        && error.offset == text.len() =>
                {
                    error.path
                }
                _ => String::from("$"),
            }
        }
        None => String::from("$"),
    };
    let (line, column) = line_column(input, valid_up_to);
    SyntaxError {
        kind: SyntaxErrorKind::InvalidUtf8,
        offset: valid_up_to,
        line,
        column,
        path,
    }
}

/// Line and column (both from 1; columns in characters) of `offset`, found by
/// scanning the input before it: only ever done for an error.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    #[allow(clippy::naive_bytecount)]
    // No dependencies; this loop vectorises, and runs only for errors.
    let line = before
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_add(1);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i.saturating_add(1));
    let column = before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        .saturating_add(1);
    (line, column)
}

/// The key whose text starts at `start` (just after its opening quote), decoded.
fn key_at(text: &str, start: usize) -> Cow<'_, str> {
    let mut parser = Parser::over(text);
    parser.pos = start;
    parser.string().unwrap_or(Cow::Borrowed("\u{FFFD}"))
}

fn is_identifier(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Renders a path: `agreements[3].members[1].party`, `extra["a key"]`, or `$`.
fn render_path(text: &str, steps: &[Step]) -> String {
    if steps.is_empty() {
        return String::from("$");
    }
    let mut out = String::new();
    for step in steps {
        match *step {
            Step::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            Step::Key(start) => {
                let key = key_at(text, start);
                if is_identifier(&key) && key.len() <= SHOWN_KEY_CHARS {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&key);
                } else {
                    out.push_str("[\"");
                    push_quoted(&mut out, &key);
                    out.push_str("\"]");
                }
            }
        }
    }
    out
}

/// Appends `key` escaped as inside a JSON string, cut to 100 characters with `…`.
fn push_quoted(out: &mut String, key: &str) {
    for (shown, c) in key.chars().enumerate() {
        if shown >= SHOWN_KEY_CHARS {
            out.push('…');
            return;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SyntaxErrorKind as K;

    fn ok(input: &str) -> Json<'_> {
        match parse(input.as_bytes()) {
            Ok(value) => value,
            Err(error) => panic!("{input:?} should parse, got: {error}"),
        }
    }

    fn err(input: &[u8]) -> SyntaxError {
        match parse(input) {
            Ok(value) => panic!(
                "{:?} should fail, got {value:?}",
                String::from_utf8_lossy(input)
            ),
            Err(error) => error,
        }
    }

    /// Checks kind, offset and path of the error for `input`, and its line and
    /// column against a second, character-based count.
    #[track_caller]
    fn fails(input: &str, kind: SyntaxErrorKind, offset: usize, path: &str) {
        let error = err(input.as_bytes());
        assert_eq!(
            (error.kind.clone(), error.offset, error.path.as_str()),
            (kind, offset, path),
            "for {input:?}: {error}"
        );
        let before = input.get(..offset).expect("offset on a character boundary");
        let line = before.matches('\n').count().saturating_add(1);
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .chars()
            .count()
            .saturating_add(1);
        assert_eq!((error.line, error.column), (line, column), "for {input:?}");
    }

    fn s(text: &str) -> Json<'_> {
        Json::String(Cow::Borrowed(text))
    }

    fn owned(text: &str) -> Json<'static> {
        Json::String(Cow::Owned(text.to_owned()))
    }

    fn nested(open: &str, depth: usize, close: &str) -> String {
        format!("{}{}", open.repeat(depth), close.repeat(depth))
    }

    /// The sizes the type's docs promise (on 64-bit targets).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn sizes() {
        assert_eq!(std::mem::size_of::<Json<'_>>(), 32);
        assert_eq!(std::mem::size_of::<(Cow<'_, str>, Json<'_>)>(), 56);
        assert_eq!(std::mem::size_of::<Res<Json<'_>>>(), 32);
    }

    // ---- literals and whitespace ----

    #[test]
    fn literals() {
        assert_eq!(ok("true"), Json::Bool(true));
        assert_eq!(ok("false"), Json::Bool(false));
        assert_eq!(ok("null"), Json::Null);
        assert_eq!(ok(" \t\r\n null \n\t\r "), Json::Null);
        fails("tru", K::UnexpectedEnd, 3, "$");
        fails("trux", K::UnexpectedCharacter('x'), 3, "$");
        fails("True", K::UnexpectedCharacter('T'), 0, "$");
        fails("nul", K::UnexpectedEnd, 3, "$");
        fails("nulL", K::UnexpectedCharacter('L'), 3, "$");
        fails("fals", K::UnexpectedEnd, 4, "$");
        fails("falsé", K::UnexpectedCharacter('é'), 4, "$");
        fails("NaN", K::UnexpectedCharacter('N'), 0, "$");
        fails("Infinity", K::UnexpectedCharacter('I'), 0, "$");
        fails("undefined", K::UnexpectedCharacter('u'), 0, "$");
        fails("truex", K::TrailingCharacters, 4, "$");
        fails("[nullx]", K::ExpectedCommaOrEnd, 5, "$");
    }

    #[test]
    fn only_four_whitespace_characters() {
        fails("\u{0C}1", K::UnexpectedCharacter('\u{0C}'), 0, "$");
        fails("\u{0B}1", K::UnexpectedCharacter('\u{0B}'), 0, "$");
        fails(
            "[1,\u{A0}2]",
            K::UnexpectedCharacter('\u{A0}'),
            3,
            "$[1]".trim_start_matches('$'),
        );
        fails(" \u{FEFF}1", K::UnexpectedCharacter('\u{FEFF}'), 1, "$");
        fails("[1\u{2028}]", K::ExpectedCommaOrEnd, 2, "$");
        assert_eq!(ok("[\n\r\t 1 \n]"), Json::Array(vec![Json::Number("1")]));
    }

    // ---- numbers ----

    #[test]
    fn numbers_are_kept_as_written() {
        for text in [
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "1.5",
            "-1.5e10",
            "1E+2",
            "1e-2",
            "0.0",
            "0e0",
            "-0.0E-0",
            "123456789012345678901234567890",
            "1e400",
            "-1e-400",
            "0.1000000000000000000000001",
            "18446744073709551616",
            "-9223372036854775809",
            "3.141592653589793238462643383279",
        ] {
            assert_eq!(ok(text), Json::Number(text), "{text}");
            let wrapped = format!("[{text}]");
            assert_eq!(
                ok(&wrapped),
                Json::Array(vec![Json::Number(text)]),
                "{text}"
            );
        }
        let big = "{\"exact\":123456789012345678901234567890}";
        assert_eq!(
            ok(big),
            Json::Object(vec![(
                Cow::Borrowed("exact"),
                Json::Number("123456789012345678901234567890")
            )])
        );
    }

    #[test]
    fn numbers_outside_the_grammar() {
        fails("01", K::InvalidNumber, 1, "$");
        fails("-01", K::InvalidNumber, 2, "$");
        fails("[00]", K::InvalidNumber, 2, "[0]");
        fails("1.", K::UnexpectedEnd, 2, "$");
        fails("[1.]", K::InvalidNumber, 3, "[0]");
        fails("[1.e5]", K::InvalidNumber, 3, "[0]");
        fails(".5", K::InvalidNumber, 0, "$");
        fails("[.5]", K::InvalidNumber, 1, "[0]");
        fails("+1", K::InvalidNumber, 0, "$");
        fails("-", K::UnexpectedEnd, 1, "$");
        fails("[-]", K::InvalidNumber, 2, "[0]");
        fails("-a", K::InvalidNumber, 1, "$");
        fails("- 1", K::InvalidNumber, 1, "$");
        fails("1e", K::UnexpectedEnd, 2, "$");
        fails("[1e]", K::InvalidNumber, 3, "[0]");
        fails("[1e+]", K::InvalidNumber, 4, "[0]");
        fails("[1E-x]", K::InvalidNumber, 4, "[0]");
        fails("-Infinity", K::InvalidNumber, 1, "$");
        fails("1.5.3", K::TrailingCharacters, 3, "$");
        fails("0x10", K::TrailingCharacters, 1, "$");
        fails("[1,2,3.]", K::InvalidNumber, 7, "[2]");
        fails("{\"a\":-}", K::InvalidNumber, 6, "a");
    }

    // ---- strings ----

    #[test]
    fn strings_borrow_unless_escaped() {
        assert!(matches!(
            ok("\"plain text\""),
            Json::String(Cow::Borrowed("plain text"))
        ));
        assert!(matches!(ok("\"\""), Json::String(Cow::Borrowed(""))));
        assert!(matches!(
            ok("\"caf\u{e9} \u{1F693}\""),
            Json::String(Cow::Borrowed("caf\u{e9} \u{1F693}"))
        ));
        assert!(matches!(ok(r#""a\nb""#), Json::String(Cow::Owned(_))));
        // DEL and everything from U+0020 up is allowed raw.
        assert_eq!(ok("\"\u{7F}~ \""), s("\u{7F}~ "));
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            ok(r#""\" \\ \/ \b \f \n \r \t""#),
            owned("\" \\ / \u{8} \u{c} \n \r \t")
        );
        assert_eq!(
            ok(r#""\u0041\u00e9\u00E9\u20AC""#),
            owned("A\u{e9}\u{e9}\u{20ac}")
        );
        assert_eq!(ok(r#""\u0000""#), owned("\u{0}"));
        assert_eq!(ok(r#""\ud83d\ude93""#), owned("\u{1F693}"));
        assert_eq!(ok(r#""\uD83D\uDE93 police""#), owned("\u{1F693} police"));
        assert_eq!(ok(r#""\uDBFF\uDFFF""#), owned("\u{10FFFF}"));
        assert_eq!(ok(r#""\uD800\uDC00""#), owned("\u{10000}"));
        assert_eq!(ok(r#""x\\""#), owned("x\\"));
        assert_eq!(
            ok(r#""long run before the escape \n and a long run after it""#),
            owned("long run before the escape \n and a long run after it")
        );
    }

    #[test]
    fn bad_escapes() {
        fails(r#""\x""#, K::InvalidEscape, 1, "$");
        fails(r#""ab\'""#, K::InvalidEscape, 3, "$");
        fails(r#""\U0041""#, K::InvalidEscape, 1, "$");
        fails(r#""\u12G4""#, K::InvalidEscape, 1, "$");
        fails(r#""\u12""#, K::InvalidEscape, 1, "$");
        fails(r#""\u12"#, K::UnexpectedEnd, 5, "$");
        fails("\"\\", K::UnexpectedEnd, 2, "$");
        fails(r#"{"a":["\a"]}"#, K::InvalidEscape, 7, "a[0]");
    }

    #[test]
    fn lone_surrogates() {
        fails(r#""\ud800""#, K::LoneSurrogate, 1, "$");
        fails(r#""\udc00""#, K::LoneSurrogate, 1, "$");
        fails(r#""\uDFFF x""#, K::LoneSurrogate, 1, "$");
        fails(r#""ab\ud800x""#, K::LoneSurrogate, 3, "$");
        fails(r#""\ud800\u0041""#, K::LoneSurrogate, 1, "$");
        fails(r#""\ud800\ud800""#, K::LoneSurrogate, 1, "$");
        fails(r#""\ud800\n""#, K::LoneSurrogate, 1, "$");
        fails(r#""\ud83d\uZZZZ""#, K::InvalidEscape, 7, "$");
        fails(r#""\ud800"#, K::UnexpectedEnd, 7, "$");
        fails(r#"{"k":"\udead"}"#, K::LoneSurrogate, 6, "k");
    }

    #[test]
    fn control_characters_and_unterminated_strings() {
        fails("\"a\nb\"", K::ControlCharacterInString, 2, "$");
        fails("\"\t\"", K::ControlCharacterInString, 1, "$");
        fails("\"\u{0}\"", K::ControlCharacterInString, 1, "$");
        fails("\"\u{1F}\"", K::ControlCharacterInString, 1, "$");
        fails("\"esc\\n then\u{1}\"", K::ControlCharacterInString, 11, "$");
        fails("\"abc", K::UnexpectedEnd, 4, "$");
        fails("\"abc\\n", K::UnexpectedEnd, 6, "$");
        fails("{\"a\":\"x\n\"}", K::ControlCharacterInString, 7, "a");
    }

    /// The eight-byte scan must find the first stop byte at every position and
    /// every string length, on both sides of each word boundary.
    #[test]
    fn string_scan_at_every_position() {
        for len in 0..40 {
            let body = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"
                .get(..len)
                .unwrap_or("");
            let text = format!("\"{body}\"");
            assert_eq!(ok(&text), s(body));
            for at in 0..len {
                let (head, tail) = body.split_at(at);
                let escaped = format!("\"{head}\\n{tail}\"");
                assert_eq!(ok(&escaped), owned(&format!("{head}\n{tail}")));
                let control = format!("\"{head}\u{1}{tail}\"");
                fails(&control, K::ControlCharacterInString, at + 1, "$");
                let high = format!("\"{head}\u{e9}\u{80}{tail}\"");
                assert_eq!(ok(&high), s(&format!("{head}\u{e9}\u{80}{tail}")));
                let cut = format!("[\"{head}");
                fails(&cut, K::UnexpectedEnd, at + 2, "[0]");
            }
        }
    }

    // ---- arrays and objects ----

    #[test]
    fn containers() {
        assert_eq!(ok("[]"), Json::Array(vec![]));
        assert_eq!(ok("{}"), Json::Object(vec![]));
        assert_eq!(ok(" [ ] "), Json::Array(vec![]));
        assert_eq!(ok("{ \n }"), Json::Object(vec![]));
        let doc = ok(r#"{"z":1,"a":[true,null,{"b":"c"}],"m":{},"e":[]}"#);
        assert_eq!(
            doc,
            Json::Object(vec![
                (Cow::Borrowed("z"), Json::Number("1")),
                (
                    Cow::Borrowed("a"),
                    Json::Array(vec![
                        Json::Bool(true),
                        Json::Null,
                        Json::Object(vec![(Cow::Borrowed("b"), s("c"))]),
                    ])
                ),
                (Cow::Borrowed("m"), Json::Object(vec![])),
                (Cow::Borrowed("e"), Json::Array(vec![])),
            ])
        );
        // Escaped keys are decoded.
        assert_eq!(
            ok(r#"{"a\u0020b":1}"#),
            Json::Object(vec![(Cow::Owned("a b".to_owned()), Json::Number("1"))])
        );
    }

    #[test]
    fn container_errors() {
        fails("[", K::UnexpectedEnd, 1, "$");
        fails("[ \n", K::UnexpectedEnd, 3, "$");
        fails("[1", K::UnexpectedEnd, 2, "$");
        fails("[1,", K::UnexpectedEnd, 3, "[1]");
        fails("[1,]", K::ExpectedValue, 3, "[1]");
        fails("[,1]", K::ExpectedValue, 1, "[0]");
        fails("[1 2]", K::ExpectedCommaOrEnd, 3, "$");
        fails("[1}", K::ExpectedCommaOrEnd, 2, "$");
        fails("[1:2]", K::ExpectedCommaOrEnd, 2, "$");
        fails("{", K::UnexpectedEnd, 1, "$");
        fails("{\"a\"", K::UnexpectedEnd, 4, "a");
        fails("{\"a\":", K::UnexpectedEnd, 5, "a");
        fails("{\"a\":1", K::UnexpectedEnd, 6, "$");
        fails("{\"a\":1,", K::UnexpectedEnd, 7, "$");
        fails("{\"a\" 1}", K::ExpectedColon, 5, "a");
        fails("{\"a\",1}", K::ExpectedColon, 4, "a");
        fails("{\"a\":1,}", K::ExpectedKey, 7, "$");
        fails("{,}", K::ExpectedKey, 1, "$");
        fails("{a:1}", K::ExpectedKey, 1, "$");
        fails("{'a':1}", K::ExpectedKey, 1, "$");
        fails("{1:1}", K::ExpectedKey, 1, "$");
        fails("{\"a\":1 \"b\":2}", K::ExpectedCommaOrEnd, 7, "$");
        fails("{\"a\":1]", K::ExpectedCommaOrEnd, 6, "$");
        fails("{\"a\":}", K::ExpectedValue, 5, "a");
        fails("{\"a\"::1}", K::ExpectedValue, 5, "a");
        fails("]", K::ExpectedValue, 0, "$");
        fails("}", K::ExpectedValue, 0, "$");
        fails(":", K::ExpectedValue, 0, "$");
        fails("'a'", K::UnexpectedCharacter('\''), 0, "$");
        fails(
            "[\u{201C}a\u{201D}]",
            K::UnexpectedCharacter('\u{201C}'),
            1,
            "[0]",
        );
        fails("{\"a\":1}}", K::TrailingCharacters, 7, "$");
        fails("[1]]", K::TrailingCharacters, 3, "$");
    }

    // ---- paths, lines and columns ----

    #[test]
    fn error_paths() {
        fails(
            r#"{"a":[1,2,{"b":tru}]}"#,
            K::UnexpectedCharacter('}'),
            18,
            "a[2].b",
        );
        let error = err(br#"{"a":[1,2,{"b":tru}]}"#);
        assert_eq!((error.line, error.column), (1, 19));
        fails(
            r#"{"agreements":[{},{},{},{"members":[{},{"party":nul}]}]}"#,
            K::UnexpectedCharacter('}'),
            51,
            "agreements[3].members[1].party",
        );
        fails(
            r#"{"extra":{"a key":x}}"#,
            K::UnexpectedCharacter('x'),
            18,
            r#"extra["a key"]"#,
        );
        fails(
            r#"{"a key":{"x":-}}"#,
            K::InvalidNumber,
            15,
            r#"["a key"].x"#,
        );
        fails(
            r#"{"_ok1":{"1st":{"q\"\\":x}}}"#,
            K::UnexpectedCharacter('x'),
            24,
            r#"_ok1["1st"]["q\"\\"]"#,
        );
        fails(r#"{"\u0061":x}"#, K::UnexpectedCharacter('x'), 10, "a");
        fails(
            r#"{"tab\there":x}"#,
            K::UnexpectedCharacter('x'),
            13,
            r#"["tab\there"]"#,
        );
        fails(r#"{"":x}"#, K::UnexpectedCharacter('x'), 4, r#"[""]"#);
        fails(
            "[[1],[2,[3,x]]]",
            K::UnexpectedCharacter('x'),
            11,
            "[1][1][1]",
        );
        let long = "k".repeat(150);
        let doc = format!("{{\"{long}\":x}}");
        let error = err(doc.as_bytes());
        assert_eq!(error.path, format!("[\"{}…\"]", "k".repeat(100)));
    }

    /// Each kind of error, deep in a pretty-printed document, with its exact
    /// offset, line, column and path.
    #[test]
    fn every_kind_is_located() {
        const HEAD: &str = "{\n  \"agreements\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"members\": [{\"party\": \"p1\"}, ";
        const TAIL: &str = "]}\n  ]\n}\n";
        const PARTY: &str = "agreements[1].members[1].party";
        const MEMBER: &str = "agreements[1].members[1]";
        let deep = format!("{{\"party\": {}", "[".repeat(130));
        let deep_path = format!("{PARTY}{}", "[0]".repeat(123));
        let cases: Vec<(&str, SyntaxErrorKind, usize, usize, &str)> = vec![
            ("{\"party\": ", K::UnexpectedEnd, 92, 56, PARTY),
            (
                "{\"party\": tru}",
                K::UnexpectedCharacter('}'),
                95,
                59,
                PARTY,
            ),
            ("{\"party\": ]}", K::ExpectedValue, 92, 56, PARTY),
            ("{\"party\" \"p2\"}", K::ExpectedColon, 91, 55, PARTY),
            (
                "{\"party\": \"p2\" \"role\": 1}",
                K::ExpectedCommaOrEnd,
                97,
                61,
                MEMBER,
            ),
            ("{\"party\": \"p2\",}", K::ExpectedKey, 97, 61, MEMBER),
            ("{\"party\": 01}", K::InvalidNumber, 93, 57, PARTY),
            ("{\"party\": \"p\\x\"}", K::InvalidEscape, 94, 58, PARTY),
            ("{\"party\": \"\\ud800\"}", K::LoneSurrogate, 93, 57, PARTY),
            (
                "{\"party\": \"p\t2\"}",
                K::ControlCharacterInString,
                94,
                58,
                PARTY,
            ),
            (
                "{\"party\": \"p2\", \"party\": \"p3\"}",
                K::DuplicateKey("party".into()),
                98,
                62,
                PARTY,
            ),
            (&deep, K::TooDeep, 92 + 123, 56 + 123, &deep_path),
        ];
        for (member, kind, offset, column, path) in cases {
            let doc = format!("{HEAD}{member}{TAIL}");
            let doc = if kind == K::UnexpectedEnd {
                format!("{HEAD}{member}")
            } else {
                doc
            };
            let expected = SyntaxError {
                kind,
                offset,
                line: 4,
                column,
                path: path.to_owned(),
            };
            assert_eq!(err(doc.as_bytes()), expected, "{doc}");
        }
        let mut bytes = format!("{HEAD}{{\"party\": \"p").into_bytes();
        bytes.push(0xFF);
        bytes.extend_from_slice(format!("\"}}{TAIL}").as_bytes());
        let expected = SyntaxError {
            kind: K::InvalidUtf8,
            offset: 94,
            line: 4,
            column: 58,
            path: PARTY.to_owned(),
        };
        assert_eq!(err(&bytes), expected);
        let at_top = |kind, offset, line, column| SyntaxError {
            kind,
            offset,
            line,
            column,
            path: "$".to_owned(),
        };
        assert_eq!(
            err(b"{\"a\":1}\n\n  x"),
            at_top(K::TrailingCharacters, 11, 3, 3)
        );
        assert_eq!(err(b"\n\n  "), at_top(K::Empty, 4, 3, 3));
        assert_eq!(err(b"\xEF\xBB\xBF{}"), at_top(K::ByteOrderMark, 0, 1, 1));
    }

    #[test]
    fn lines_and_columns() {
        let doc = "{\n  \"a\": 1,\n  \"b\": [\n    tru\n  ]\n}\n";
        let error = err(doc.as_bytes());
        assert_eq!(error.kind, K::UnexpectedCharacter('\n'));
        assert_eq!((error.line, error.column, error.offset), (4, 8, 28));
        assert_eq!(error.path, "b[0]");
        // Columns count characters, not bytes.
        let doc = "{\"caf\u{e9}\":\"\u{1F693}\u{1F693}\", \"x\": tru}";
        let error = err(doc.as_bytes());
        assert_eq!(error.offset, doc.len() - 1);
        assert_eq!((error.line, error.column), (1, 23));
        // CRLF: the CR is the end of the line before.
        let error = err(b"[\r\n1,\r\n x]");
        assert_eq!((error.line, error.column, error.offset), (3, 2, 8));
    }

    #[test]
    fn display() {
        let error = err(br#"{"a":[1,2,{"b":tru}]}"#);
        assert_eq!(
            error.to_string(),
            "unexpected character '}' at a[2].b (line 1, column 19, byte 18)"
        );
        let error = err(b"\xEF\xBB\xBF{}");
        assert_eq!(
            error.to_string(),
            "a UTF-8 byte order mark starts the file; save it as UTF-8 without one at $ (line 1, column 1, byte 0)"
        );
        assert_eq!(
            K::DuplicateKey("title".into()).to_string(),
            "duplicate key \"title\""
        );
        assert_eq!(K::TooDeep.to_string(), "nested more than 128 levels deep");
        assert_eq!(
            K::UnexpectedCharacter('\u{A0}').to_string(),
            "unexpected character U+00A0 (a no-break space; JSON whitespace is only space, tab and line breaks)"
        );
        assert_eq!(
            K::UnexpectedCharacter('\u{201C}').to_string(),
            "unexpected character '\u{201C}' (U+201C) (a curly quote; JSON needs straight double quotes)"
        );
        assert_eq!(
            K::UnexpectedCharacter('\u{1}').to_string(),
            "unexpected character U+0001 (a control character)"
        );
        for kind in [
            K::ByteOrderMark,
            K::InvalidUtf8,
            K::UnexpectedEnd,
            K::UnexpectedCharacter('x'),
            K::ExpectedValue,
            K::ExpectedColon,
            K::ExpectedCommaOrEnd,
            K::ExpectedKey,
            K::InvalidNumber,
            K::InvalidEscape,
            K::LoneSurrogate,
            K::ControlCharacterInString,
            K::DuplicateKey("k".into()),
            K::TooDeep,
            K::TrailingCharacters,
            K::Empty,
            K::TooLarge,
        ] {
            let text = kind.to_string();
            assert!(
                !text.is_empty() && text.chars().next().is_some_and(char::is_lowercase),
                "{text}"
            );
        }
    }

    // ---- duplicate keys ----

    #[test]
    fn duplicate_keys_are_refused_with_their_path() {
        fails(r#"{"a":1,"a":2}"#, K::DuplicateKey("a".into()), 7, "a");
        fails(
            r#"{"agreements":[{"id":"x","title":"A","title":"B"}]}"#,
            K::DuplicateKey("title".into()),
            37,
            "agreements[0].title",
        );
        // Keys are compared after decoding.
        fails(r#"{"a":1,"\u0061":2}"#, K::DuplicateKey("a".into()), 7, "a");
        fails(
            r#"{"é":1,"\u00e9":2}"#,
            K::DuplicateKey("é".into()),
            8,
            "[\"é\"]",
        );
        // The same key in different objects is fine.
        ok(r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#);
        let long = "d".repeat(300);
        let doc = format!("{{\"{long}\":1,\"{long}\":2}}");
        assert_eq!(err(doc.as_bytes()).kind, K::DuplicateKey("d".repeat(100)));
    }

    /// Around the switch from a linear check to a hash set.
    #[test]
    fn duplicate_keys_in_bigger_objects() {
        for size in [1, 2, 15, 16, 17, 18, 40, 100] {
            let fields: Vec<String> = (0..size).map(|i| format!("\"k{i}\":{i}")).collect();
            let clean = format!("{{{}}}", fields.join(","));
            match ok(&clean) {
                Json::Object(parsed) => assert_eq!(parsed.len(), size),
                other => panic!("{other:?}"),
            }
            for repeat in [0, size / 2, size - 1] {
                let doc = format!("{{{},\"k{repeat}\":0,\"z\":1}}", fields.join(","));
                let error = err(doc.as_bytes());
                assert_eq!(
                    error.kind,
                    K::DuplicateKey(format!("k{repeat}")),
                    "{size} {repeat}"
                );
                assert_eq!(error.offset, clean.len(), "{size} {repeat}");
                assert_eq!(error.path, format!("k{repeat}"));
                // Skipping checks keys the same way.
                let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
                assert_eq!(
                    parser.skip_value().map_err(|e| e.kind),
                    Err(K::DuplicateKey(format!("k{repeat}")))
                );
            }
        }
    }

    /// A hostile object with 500,000 keys costs linear time, not quadratic.
    #[test]
    fn many_keys_are_not_quadratic() {
        let count = 500_000;
        let mut doc = String::from("{");
        for i in 0..count {
            let _ = write!(doc, "\"key{i}\":{i},");
        }
        doc.push_str("\"key0\":0}");
        let started = std::time::Instant::now();
        let error = err(doc.as_bytes());
        assert_eq!(error.kind, K::DuplicateKey("key0".into()));
        let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
        assert_eq!(
            parser.skip_value().map_err(|e| e.kind),
            Err(K::DuplicateKey("key0".into()))
        );
        let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
        parser.begin_object().expect("object");
        let mut keys = 0;
        let error = loop {
            match parser.next_key() {
                Ok(Some(_)) => keys += 1,
                Ok(None) => panic!("the repeat must be found"),
                Err(error) => break error,
            }
        };
        assert_eq!((keys, error.kind), (count, K::DuplicateKey("key0".into())));
        // Quadratic would be ~10^11 comparisons; even unoptimised this is seconds.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    // ---- depth ----

    #[test]
    fn depth_limit() {
        assert!(parse(nested("[", MAX_DEPTH, "]").as_bytes()).is_ok());
        let error = err(nested("[", MAX_DEPTH + 1, "]").as_bytes());
        assert_eq!((error.kind.clone(), error.offset), (K::TooDeep, MAX_DEPTH));
        assert_eq!(error.path, "[0]".repeat(MAX_DEPTH));
        let error = err(nested("[", 200, "]").as_bytes());
        assert_eq!((error.kind.clone(), error.offset), (K::TooDeep, MAX_DEPTH));
        assert_eq!(error.path, "[0]".repeat(MAX_DEPTH));
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(parse(objects.as_bytes()).is_ok());
        let objects = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        let error = err(objects.as_bytes());
        assert_eq!(
            (error.kind.clone(), error.offset),
            (K::TooDeep, 5 * MAX_DEPTH)
        );
        assert_eq!(error.path, vec!["a"; MAX_DEPTH].join("."));
        // 100,000 open brackets fail fast and cleanly, in every mode.
        let hostile = "[".repeat(100_000);
        assert_eq!(err(hostile.as_bytes()).kind, K::TooDeep);
        let mut parser = Parser::new(hostile.as_bytes()).expect("utf-8");
        assert_eq!(parser.skip_value().map_err(|e| e.kind), Err(K::TooDeep));
        let hostile = "{\"\":".repeat(100_000);
        assert_eq!(err(hostile.as_bytes()).kind, K::TooDeep);
    }

    #[test]
    fn depth_counts_streamed_levels() {
        // Two streamed levels leave room for MAX_DEPTH - 2 in a tree below them.
        for (inner, fine) in [(MAX_DEPTH - 2, true), (MAX_DEPTH - 1, false)] {
            let doc = format!("[{{\"x\":{}}}]", nested("[", inner, "]"));
            let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
            parser.begin_array().expect("[");
            assert_eq!(parser.next_element(), Ok(true));
            parser.begin_object().expect("{");
            assert_eq!(parser.next_key().expect("key").as_deref(), Some("x"));
            let result = parser.value();
            assert_eq!(result.is_ok(), fine, "{inner}");
            if let Err(error) = result {
                assert_eq!(error.kind, K::TooDeep);
                assert_eq!(error.path, format!("[0].x{}", "[0]".repeat(MAX_DEPTH - 2)));
            }
            assert_eq!(parse(doc.as_bytes()).is_ok(), fine);
        }
        let deep = nested("[", MAX_DEPTH + 1, "]");
        let mut parser = Parser::new(deep.as_bytes()).expect("utf-8");
        for _ in 0..MAX_DEPTH {
            parser.begin_array().expect("within the limit");
            assert_eq!(parser.next_element(), Ok(true));
        }
        assert_eq!(parser.begin_array().map_err(|e| e.kind), Err(K::TooDeep));
    }

    // ---- the input as a whole ----

    #[test]
    fn byte_order_mark() {
        let error = err(b"\xEF\xBB\xBF{\"a\":1}");
        assert_eq!(
            (
                error.kind,
                error.offset,
                error.line,
                error.column,
                error.path.as_str()
            ),
            (K::ByteOrderMark, 0, 1, 1, "$")
        );
        assert_eq!(err(b"\xEF\xBB\xBF").kind, K::ByteOrderMark);
        // Only at the start: elsewhere it is an unexpected character.
        fails("[\u{FEFF}]", K::UnexpectedCharacter('\u{FEFF}'), 1, "[0]");
    }

    #[test]
    fn invalid_utf8() {
        let error = err(b"{\"a\":\"caf\xE9\"}");
        assert_eq!(
            (
                error.kind,
                error.offset,
                error.line,
                error.column,
                error.path.as_str()
            ),
            (K::InvalidUtf8, 9, 1, 10, "a")
        );
        let error = err(b"{\"agreements\":[\n {\"title\": \"\xC3\xA9t\xC3\xA9\xFF\"}]}");
        assert_eq!((error.kind, error.offset), (K::InvalidUtf8, 33));
        assert_eq!((error.line, error.column), (2, 16));
        assert_eq!(error.path, "agreements[0].title");
        // Overlong encodings, encoded surrogates, a cut-off sequence, a stray continuation.
        for (input, offset) in [
            (&b"\"\xC0\x80\""[..], 1),
            (b"\"\xED\xA0\x80\"", 1),
            (b"[\"ab\xE2\x82", 4),
            (b"\x80", 0),
            (b"[1,\xF5]", 3),
        ] {
            let error = err(input);
            assert_eq!(
                (error.kind, error.offset),
                (K::InvalidUtf8, offset),
                "{input:?}"
            );
        }
        // Outside any string the path is where the parse stopped.
        assert_eq!(err(b"{\"a\":[1,\xFF]}").path, "a[1]");
        assert_eq!(err(b"\xFF").path, "$");
    }

    #[test]
    fn empty_and_trailing() {
        let error = err(b"");
        assert_eq!(
            (error.kind, error.offset, error.line, error.column),
            (K::Empty, 0, 1, 1)
        );
        let error = err(b" \n\t\r\n ");
        assert_eq!(
            (error.kind, error.offset, error.line, error.column),
            (K::Empty, 6, 3, 2)
        );
        fails("{} x", K::TrailingCharacters, 3, "$");
        fails("1 2", K::TrailingCharacters, 2, "$");
        fails("\"a\"\"b\"", K::TrailingCharacters, 3, "$");
        fails("[] []", K::TrailingCharacters, 3, "$");
        assert_eq!(ok(" {} \n\r\t "), Json::Object(vec![]));
        let error = err(b"{}\n\n  //");
        assert_eq!(
            (error.kind, error.line, error.column),
            (K::TrailingCharacters, 3, 3)
        );
    }

    #[test]
    fn too_large() {
        // Zeroed pages are not touched: the size is checked before anything else.
        let huge = vec![0_u8; MAX_INPUT + 1];
        let error = Parser::new(&huge).err();
        assert_eq!(error.map(|e| (e.kind, e.offset)), Some((K::TooLarge, 0)));
    }

    // ---- streaming ----

    const DOC: &str = r#"{
  "schema_version": 1,
  "parties": [{"id": "a"}, {"id": "b", "n": 123456789012345678901234567890}],
  "extra": {"x": [1, 2, {"deep": true}]},
  "unread": [1, [2, {"z": null}]],
  "agreements": [
    {"id": "g1", "members": [{"party": "a"}, {"party": "b"}]}
  ]
}"#;

    #[test]
    fn streaming_walk() {
        let mut parser = Parser::new(DOC.as_bytes()).expect("utf-8");
        assert_eq!(parser.peek(), Some(b'{'));
        assert_eq!(parser.path(), "$");
        parser.begin_object().expect("{");
        assert_eq!(
            parser.next_key().expect("key").as_deref(),
            Some("schema_version")
        );
        assert_eq!(parser.path(), "schema_version");
        assert_eq!(parser.value(), Ok(Json::Number("1")));
        assert_eq!(parser.path(), "$");

        assert_eq!(parser.next_key().expect("key").as_deref(), Some("parties"));
        assert_eq!(parser.peek(), Some(b'['));
        parser.begin_array().expect("[");
        assert_eq!(parser.path(), "parties");
        let mut parties = Vec::new();
        while parser.next_element().expect("element") {
            parties.push((parser.path(), parser.value().expect("party")));
        }
        assert_eq!(parties.len(), 2);
        assert_eq!(
            parties.first(),
            Some(&(
                "parties[0]".to_owned(),
                Json::Object(vec![(Cow::Borrowed("id"), s("a"))])
            ))
        );
        assert_eq!(parties.get(1).map(|p| p.0.as_str()), Some("parties[1]"));
        assert!(matches!(parties.get(1), Some((_, Json::Object(fields)))
            if fields.get(1) == Some(&(Cow::Borrowed("n"), Json::Number("123456789012345678901234567890")))));

        assert_eq!(parser.next_key().expect("key").as_deref(), Some("extra"));
        parser.skip_value().expect("skip");
        // "unread" is never read: next_key skips (and checks) it.
        assert_eq!(parser.next_key().expect("key").as_deref(), Some("unread"));
        assert_eq!(
            parser.next_key().expect("key").as_deref(),
            Some("agreements")
        );
        parser.begin_array().expect("[");
        assert!(parser.next_element().expect("element"));
        parser.begin_object().expect("{");
        assert_eq!(parser.next_key().expect("key").as_deref(), Some("id"));
        assert_eq!(parser.value(), Ok(s("g1")));
        assert_eq!(parser.next_key().expect("key").as_deref(), Some("members"));
        parser.begin_array().expect("[");
        assert!(parser.next_element().expect("element"));
        assert_eq!(parser.path(), "agreements[0].members[0]");
        parser.skip_value().expect("skip");
        assert!(parser.next_element().expect("element"));
        parser.begin_object().expect("{");
        assert_eq!(parser.next_key().expect("key").as_deref(), Some("party"));
        assert_eq!(parser.path(), "agreements[0].members[1].party");
        assert_eq!(parser.value(), Ok(s("b")));
        assert_eq!(parser.next_key(), Ok(None));
        assert!(!parser.next_element().expect("end"));
        assert_eq!(parser.next_key(), Ok(None));
        assert!(!parser.next_element().expect("end"));
        assert_eq!(parser.path(), "$");
        assert_eq!(parser.next_key(), Ok(None));
        assert_eq!(parser.peek(), None);
        assert_eq!(parser.finish(), Ok(()));
    }

    #[test]
    fn streaming_errors_carry_the_path() {
        let doc = r#"{"parties":[{"id":"a"},{"id":tru}]}"#;
        let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
        parser.begin_object().expect("{");
        assert_eq!(parser.next_key().expect("key").as_deref(), Some("parties"));
        parser.begin_array().expect("[");
        let mut error = None;
        while parser.next_element().expect("element") {
            if let Err(e) = parser.value() {
                error = Some(e);
                break;
            }
        }
        let error = error.expect("an error");
        assert_eq!(
            (error.kind.clone(), error.path.as_str()),
            (K::UnexpectedCharacter('}'), "parties[1].id")
        );
        assert_eq!(error, err(doc.as_bytes()));
        // The parser is spent: every later call repeats the error.
        assert_eq!(parser.next_element(), Err(error.clone()));
        assert_eq!(parser.finish(), Err(error));

        let mut parser = Parser::new(br#"{"a":1,"b":2,"a":3}"#).expect("utf-8");
        parser.begin_object().expect("{");
        assert!(parser.next_key().expect("a").is_some());
        assert!(parser.next_key().expect("b").is_some());
        let error = parser.next_key().expect_err("repeat");
        assert_eq!(
            (error.kind, error.offset, error.path.as_str()),
            (K::DuplicateKey("a".into()), 13, "a")
        );

        // Separators are checked by the streaming calls.
        let mut parser = Parser::new(b"[1 2]").expect("utf-8");
        parser.begin_array().expect("[");
        assert_eq!(parser.next_element(), Ok(true));
        assert_eq!(parser.value(), Ok(Json::Number("1")));
        let error = parser.next_element().expect_err("no comma");
        assert_eq!(
            (error.kind, error.offset, error.path.as_str()),
            (K::ExpectedCommaOrEnd, 3, "$")
        );
        let mut parser = Parser::new(br#"{"a":1,}"#).expect("utf-8");
        parser.begin_object().expect("{");
        assert!(parser.next_key().expect("a").is_some());
        assert_eq!(
            parser.next_key().map_err(|e| (e.kind, e.offset)),
            Err((K::ExpectedKey, 7))
        );
        let mut parser = Parser::new(br#"{"a" 1}"#).expect("utf-8");
        parser.begin_object().expect("{");
        let error = parser.next_key().expect_err("colon");
        assert_eq!((error.kind, error.path.as_str()), (K::ExpectedColon, "a"));
        let mut parser = Parser::new(b"[1,]").expect("utf-8");
        parser.begin_array().expect("[");
        assert!(parser.next_element().expect("1"));
        assert!(parser.next_element().expect("comma"));
        let error = parser.value().expect_err("trailing comma");
        assert_eq!((error.kind, error.path.as_str()), (K::ExpectedValue, "[1]"));
    }

    #[test]
    fn streaming_checks_what_it_skips() {
        // An unread value is skipped and checked by next_key, next_element and finish.
        let mut parser = Parser::new(br#"{"a":[1,{"b":x}],"c":2}"#).expect("utf-8");
        parser.begin_object().expect("{");
        assert!(parser.next_key().expect("a").is_some());
        let error = parser.next_key().expect_err("bad skipped value");
        assert_eq!(
            (error.kind, error.path.as_str()),
            (K::UnexpectedCharacter('x'), "a[1].b")
        );

        let mut parser = Parser::new(br#"[[1,2],{"a":1,"a":2}]"#).expect("utf-8");
        parser.begin_array().expect("[");
        assert!(parser.next_element().expect("first"));
        assert!(parser.next_element().expect("second"));
        let error = parser.finish().expect_err("repeat in the rest");
        assert_eq!(
            (error.kind, error.path.as_str()),
            (K::DuplicateKey("a".into()), "[1].a")
        );

        // finish() with nothing read checks the whole document.
        assert_eq!(Parser::new(DOC.as_bytes()).expect("utf-8").finish(), Ok(()));
        assert_eq!(
            Parser::new(b" ")
                .expect("utf-8")
                .finish()
                .map_err(|e| e.kind),
            Err(K::Empty)
        );
        assert_eq!(
            Parser::new(b"[1] 2")
                .expect("utf-8")
                .finish()
                .map_err(|e| e.kind),
            Err(K::TrailingCharacters)
        );
        let mut parser = Parser::new(br#"{"a":{"b":[1,2]}} x"#).expect("utf-8");
        parser.begin_object().expect("{");
        assert!(parser.next_key().expect("a").is_some());
        parser.begin_object().expect("{");
        assert_eq!(
            parser.finish().map_err(|e| (e.kind, e.offset)),
            Err((K::TrailingCharacters, 18))
        );
    }

    #[test]
    fn streaming_refuses_calls_out_of_order() {
        // A second top-level value is trailing characters, not accepted.
        let mut parser = Parser::new(b"1 2").expect("utf-8");
        assert_eq!(parser.value(), Ok(Json::Number("1")));
        assert_eq!(
            parser.value().map_err(|e| (e.kind, e.offset)),
            Err((K::TrailingCharacters, 2))
        );
        // value() where a separator is due is refused.
        let mut parser = Parser::new(b"[1 2]").expect("utf-8");
        parser.begin_array().expect("[");
        assert!(parser.value().is_err());
        let mut parser = Parser::new(b"[1,2]").expect("utf-8");
        parser.begin_array().expect("[");
        assert!(parser.next_element().expect("1"));
        assert_eq!(parser.value(), Ok(Json::Number("1")));
        assert!(parser.value().is_err());
        // begin_* on the wrong kind of value.
        let mut parser = Parser::new(b"[1]").expect("utf-8");
        assert_eq!(
            parser.begin_object().map_err(|e| e.kind),
            Err(K::UnexpectedCharacter('['))
        );
        let mut parser = Parser::new(b"{}").expect("utf-8");
        assert_eq!(
            parser.begin_array().map_err(|e| e.kind),
            Err(K::UnexpectedCharacter('{'))
        );
        // next_key in an array, next_element in an object, either at the top.
        let mut parser = Parser::new(b"[1]").expect("utf-8");
        parser.begin_array().expect("[");
        assert!(parser.next_key().is_err());
        let mut parser = Parser::new(b"{}").expect("utf-8");
        parser.begin_object().expect("{");
        assert!(parser.next_element().is_err());
        assert!(Parser::new(b"{}").expect("utf-8").next_key().is_err());
        assert!(Parser::new(b"[]").expect("utf-8").next_element().is_err());
        // Empty input for every entry point.
        assert_eq!(
            Parser::new(b"").expect("utf-8").value().map_err(|e| e.kind),
            Err(K::Empty)
        );
        assert_eq!(
            Parser::new(b" ")
                .expect("utf-8")
                .skip_value()
                .map_err(|e| e.kind),
            Err(K::Empty)
        );
        assert_eq!(
            Parser::new(b"\n")
                .expect("utf-8")
                .begin_object()
                .map_err(|e| e.kind),
            Err(K::Empty)
        );
        assert_eq!(Parser::new(b"").expect("utf-8").peek(), None);
    }

    #[test]
    fn streaming_many_keys_and_escaped_keys() {
        let fields: Vec<String> = (0..40)
            .map(|i| format!("\"k\\u00{:02x}{i}\":{i}", 0x61 + i % 3))
            .collect();
        let doc = format!("{{{}}}", fields.join(","));
        let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
        parser.begin_object().expect("{");
        let mut keys = Vec::new();
        while let Some(key) = parser.next_key().expect("key") {
            assert_eq!(parser.path(), key.as_ref());
            keys.push(key.into_owned());
        }
        assert_eq!(keys.len(), 40);
        assert_eq!(keys.first().map(String::as_str), Some("ka0"));
        assert_eq!(parser.finish(), Ok(()));
    }

    #[test]
    fn value_and_skip_agree_with_parse() {
        for doc in [
            DOC,
            "[]",
            "{}",
            "\"x\"",
            "-1.5e3",
            "[[[]],{\"a\":[{}]}]",
            "{\"a\":\"\\u00e9\\n\"}",
        ] {
            let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
            parser.skip_value().expect("skip");
            parser.finish().expect("finish");
            let mut parser = Parser::new(doc.as_bytes()).expect("utf-8");
            let tree = parser.value().expect("value");
            parser.finish().expect("finish");
            assert_eq!(Ok(tree), parse(doc.as_bytes()));
        }
    }
}
