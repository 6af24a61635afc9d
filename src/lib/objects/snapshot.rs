//! Snapshots: a [`State`] as bytes, so a Realm's store can save the object state
//! at a server version and load it on open instead of replaying the history.
//!
//! [`decode_snapshot`]`(&`[`encode_snapshot`]`(s)) == Ok(s)` for every state: the
//! format is self-describing (every object carries its field names, every map
//! its keys), so nothing depends on the state being consistent with its schema.
//! Floats and decimals keep their exact bit patterns (NaN payloads, `-0.0`).
//!
//! # Format, version 1
//!
//! ```text
//! offset  size  content
//! 0       8     magic "ROSSTATE"
//! 8       4     format version, u32 little-endian (1)
//! 12      8     body length N, u64 little-endian
//! 20      N     body
//! 20+N    4     CRC-32 (IEEE, as gzip/zlib) of bytes 0..20+N, little-endian
//! ```
//!
//! Every later format keeps the magic and the version field where they are, so
//! a reader can tell which version it holds ([`SnapshotError::UnsupportedVersion`])
//! and migrate. The body, in order:
//!
//! ```text
//! names    count, then count × bytes      class, property and field names,
//!                                         link and primary-key tables: written
//!                                         once here, elsewhere as name = index
//! classes  count, then count × (name, class), names strictly increasing
//! objects  count, then count × (name, count, count × (key, object)),
//!          class names strictly increasing, keys strictly increasing
//!          (ObjectKey order)
//!
//! class    0 = embedded | 1 = top-level, name pk_field, u8 pk_type,
//!          bool pk_nullable, bool asymmetric;
//!          then count, count × (name, property), names strictly increasing
//! property u8 column type (11 = link, followed by name target), bool nullable,
//!          u8 collection type
//! object   count, then count × (name, value), names strictly increasing
//! key      u8 tag: 0 null | 1 int zigzag | 2 string bytes | 3 ObjectId [12] |
//!          4 UUID [16] | 5 GlobalKey varint hi, varint lo
//! value    u8 tag: 0 null | 1 int zigzag | 2 false | 3 true | 4 string bytes |
//!          5 binary bytes | 6 timestamp zigzag seconds, zigzag nanoseconds |
//!          7 float [4] | 8 double [8] | 9 decimal [16] (bit patterns, LE) |
//!          10 ObjectId [12] | 11 UUID [16] | 12 link name, key |
//!          13 embedded object | 14 list count, values | 15 set count, values
//!          (plain values, strictly increasing by `Value::canonical_cmp`) |
//!          16 dictionary count, count × (bytes, value), keys strictly increasing
//! ```
//!
//! `count`, `varint` and lengths are LEB128 (unsigned, at most 64 bits);
//! `zigzag` is a signed integer zigzag-mapped to one; `bytes` is a length then
//! the raw bytes; `bool` is one byte, 0 or 1. Type tags are this format's own
//! (not the changeset wire's), so other modules can change without changing it.
//!
//! Decoding treats the bytes as possibly damaged: it checks the checksum, never
//! panics, never reserves memory from a count (a count or length must fit in the
//! bytes left, and collections grow as elements actually decode), rejects
//! duplicate or unordered keys (which would otherwise be silently merged) and
//! nesting deeper than [`MAX_SNAPSHOT_DEPTH`], and names the byte offset of
//! whatever is wrong.

use std::collections::{BTreeMap, HashMap};

use super::schema::{Class, Property};
use super::state::State;
use super::value::{Object, ObjectKey, Value};
use crate::changeset::{
    ByteString, CollectionType, ColumnType, Decimal128, GlobalKey, Link, ObjectId, PrimaryKey,
    PrimaryKeySpec, PrimaryKeyType, TableType, Timestamp, Uuid,
};

/// The first eight bytes of every snapshot.
pub const SNAPSHOT_MAGIC: [u8; 8] = *b"ROSSTATE";

/// The format version [`encode_snapshot`] writes and [`decode_snapshot`] reads.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 1;

/// Deepest nesting of embedded objects and collections a snapshot may hold: a
/// field value of a top-level object is at depth 0, each object or collection
/// adds one to the values it holds. Applying changesets stays far below it (a
/// changeset path has at most `Limits::max_path_depth` = 256 elements, and each
/// level of nesting takes one at least; realm-core itself nests Mixed
/// collections at most 100 deep), and it keeps the recursive decoder well inside
/// the 2 MiB stack of a worker thread, even unoptimized (about 1.5 KiB a level).
pub const MAX_SNAPSHOT_DEPTH: usize = 512;

const HEADER_LEN: usize = 20;
const CHECKSUM_LEN: usize = 4;

/// Why bytes are not a snapshot this build can load. Every variant names the
/// byte offset (from the start of the snapshot) where the problem is.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not an object-state snapshot: wrong magic at byte {offset}")]
    BadMagic { offset: usize },
    /// A snapshot of another format version (at offset 8): migrate it or
    /// rebuild the state from the history.
    #[error(
        "snapshot format version {found} at byte {offset}; this build reads version {supported}"
    )]
    UnsupportedVersion {
        offset: usize,
        found: u32,
        supported: u32,
    },
    #[error("snapshot ends at byte {offset}, inside {what}")]
    Truncated { offset: usize, what: &'static str },
    #[error("{count} bytes after the end of the snapshot, from byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
    #[error(
        "snapshot damaged: checksum at byte {offset} is {stored:#010x}, content gives {computed:#010x}"
    )]
    ChecksumMismatch {
        offset: usize,
        stored: u32,
        computed: u32,
    },
    #[error("at byte {offset}: {what} is {length}, but only {remaining} bytes follow")]
    LengthTooLarge {
        offset: usize,
        what: &'static str,
        length: u64,
        remaining: usize,
    },
    #[error("at byte {offset}: {what} is a varint longer than 64 bits")]
    VarintOverflow { offset: usize, what: &'static str },
    #[error("at byte {offset}: {tag} is not a valid {what}")]
    BadTag {
        offset: usize,
        what: &'static str,
        tag: u8,
    },
    #[error("at byte {offset}: name {index}, but the name table holds {count}")]
    BadNameIndex {
        offset: usize,
        index: u64,
        count: usize,
    },
    #[error("at byte {offset}: {what} out of order or repeated")]
    OutOfOrder { offset: usize, what: &'static str },
    #[error("at byte {offset}: invalid timestamp ({seconds} s, {nanoseconds} ns)")]
    BadTimestamp {
        offset: usize,
        seconds: i64,
        nanoseconds: i64,
    },
    #[error("at byte {offset}: a set element that is not a plain value")]
    NotPlainInSet { offset: usize },
    #[error("at byte {offset}: values nested more than {limit} levels deep")]
    TooDeep { offset: usize, limit: usize },
}

impl SnapshotError {
    /// The byte offset the error is about.
    pub fn offset(&self) -> usize {
        use SnapshotError as S;
        match *self {
            S::BadMagic { offset }
            | S::UnsupportedVersion { offset, .. }
            | S::Truncated { offset, .. }
            | S::TrailingBytes { offset, .. }
            | S::ChecksumMismatch { offset, .. }
            | S::LengthTooLarge { offset, .. }
            | S::VarintOverflow { offset, .. }
            | S::BadTag { offset, .. }
            | S::BadNameIndex { offset, .. }
            | S::OutOfOrder { offset, .. }
            | S::BadTimestamp { offset, .. }
            | S::NotPlainInSet { offset }
            | S::TooDeep { offset, .. } => offset,
        }
    }
}

// Type tags of the format (see the module documentation).
mod tag {
    pub const EMBEDDED: u8 = 0;
    pub const TOP_LEVEL: u8 = 1;

    pub const KEY_NULL: u8 = 0;
    pub const KEY_INT: u8 = 1;
    pub const KEY_STRING: u8 = 2;
    pub const KEY_OBJECT_ID: u8 = 3;
    pub const KEY_UUID: u8 = 4;
    pub const KEY_GLOBAL_KEY: u8 = 5;

    pub const PK_INT: u8 = 0;
    pub const PK_STRING: u8 = 1;
    pub const PK_OBJECT_ID: u8 = 2;
    pub const PK_UUID: u8 = 3;
    pub const PK_GLOBAL_KEY: u8 = 4;

    pub const COL_MIXED: u8 = 0;
    pub const COL_INT: u8 = 1;
    pub const COL_BOOL: u8 = 2;
    pub const COL_STRING: u8 = 3;
    pub const COL_BINARY: u8 = 4;
    pub const COL_TIMESTAMP: u8 = 5;
    pub const COL_FLOAT: u8 = 6;
    pub const COL_DOUBLE: u8 = 7;
    pub const COL_DECIMAL: u8 = 8;
    pub const COL_OBJECT_ID: u8 = 9;
    pub const COL_UUID: u8 = 10;
    pub const COL_LINK: u8 = 11;

    pub const SINGLE: u8 = 0;
    pub const LIST: u8 = 1;
    pub const DICTIONARY: u8 = 2;
    pub const SET: u8 = 3;

    pub const NULL: u8 = 0;
    pub const INT: u8 = 1;
    pub const FALSE: u8 = 2;
    pub const TRUE: u8 = 3;
    pub const STRING: u8 = 4;
    pub const BINARY: u8 = 5;
    pub const TIMESTAMP: u8 = 6;
    pub const FLOAT: u8 = 7;
    pub const DOUBLE: u8 = 8;
    pub const DECIMAL: u8 = 9;
    pub const OBJECT_ID: u8 = 10;
    pub const UUID: u8 = 11;
    pub const LINK: u8 = 12;
    pub const OBJECT: u8 = 13;
    pub const VALUE_LIST: u8 = 14;
    pub const VALUE_SET: u8 = 15;
    pub const VALUE_DICTIONARY: u8 = 16;
}

/// The snapshot of `state` (format version [`SNAPSHOT_FORMAT_VERSION`]).
pub fn encode_snapshot(state: &State) -> Vec<u8> {
    let mut body = Encoder::default();
    body.state(state);
    let mut names = Vec::new();
    write_varint(&mut names, body.names.len() as u64);
    for name in &body.names {
        write_bytes(&mut names, name.as_bytes());
    }
    let body_len = names.len() + body.out.len();
    let mut out = Vec::with_capacity(HEADER_LEN + body_len + CHECKSUM_LEN);
    out.extend_from_slice(&SNAPSHOT_MAGIC);
    out.extend_from_slice(&SNAPSHOT_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body_len as u64).to_le_bytes());
    out.extend_from_slice(&names);
    out.extend_from_slice(&body.out);
    let checksum = crc32(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// The state a snapshot holds; an error names what is wrong and where.
pub fn decode_snapshot(bytes: &[u8]) -> Result<State, SnapshotError> {
    let magic_len = bytes.len().min(SNAPSHOT_MAGIC.len());
    if let Some(offset) = (0..magic_len).find(|&i| bytes[i] != SNAPSHOT_MAGIC[i]) {
        return Err(SnapshotError::BadMagic { offset });
    }
    if bytes.len() < SNAPSHOT_MAGIC.len() {
        return Err(SnapshotError::Truncated {
            offset: bytes.len(),
            what: "the magic",
        });
    }
    let version = fixed::<4>(bytes, 8, "the format version")?;
    let found = u32::from_le_bytes(version);
    if found != SNAPSHOT_FORMAT_VERSION {
        return Err(SnapshotError::UnsupportedVersion {
            offset: 8,
            found,
            supported: SNAPSHOT_FORMAT_VERSION,
        });
    }
    let body_len = u64::from_le_bytes(fixed::<8>(bytes, 12, "the body length")?);
    let available = bytes.len() - HEADER_LEN;
    let body_end = match usize::try_from(body_len) {
        Ok(len) if len <= available.saturating_sub(CHECKSUM_LEN) => HEADER_LEN + len,
        _ => {
            return Err(SnapshotError::Truncated {
                offset: bytes.len(),
                what: if body_len <= available as u64 {
                    "the checksum"
                } else {
                    "the body"
                },
            })
        }
    };
    let end = body_end + CHECKSUM_LEN;
    if bytes.len() > end {
        return Err(SnapshotError::TrailingBytes {
            offset: end,
            count: bytes.len() - end,
        });
    }
    let stored = u32::from_le_bytes(fixed::<4>(bytes, body_end, "the checksum")?);
    let computed = crc32(&bytes[..body_end]);
    if stored != computed {
        return Err(SnapshotError::ChecksumMismatch {
            offset: body_end,
            stored,
            computed,
        });
    }
    Decoder::new(bytes, HEADER_LEN, body_end).state()
}

/// `N` bytes at `offset`, or where the input ends.
fn fixed<const N: usize>(
    bytes: &[u8],
    offset: usize,
    what: &'static str,
) -> Result<[u8; N], SnapshotError> {
    bytes
        .get(offset..offset + N)
        .and_then(|b| b.try_into().ok())
        .ok_or(SnapshotError::Truncated {
            offset: bytes.len(),
            what,
        })
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(0x80 | (value & 0x7F) as u8);
        value >>= 7;
    }
    out.push(value as u8);
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Writes the body after the name table, collecting the names it refers to.
#[derive(Default)]
struct Encoder {
    out: Vec<u8>,
    names: Vec<ByteString>,
    index: HashMap<ByteString, u64>,
}

impl Encoder {
    fn byte(&mut self, byte: u8) {
        self.out.push(byte);
    }

    fn varint(&mut self, value: u64) {
        write_varint(&mut self.out, value);
    }

    fn count(&mut self, count: usize) {
        self.varint(count as u64);
    }

    fn bool(&mut self, value: bool) {
        self.byte(u8::from(value));
    }

    fn bytes(&mut self, bytes: &ByteString) {
        write_bytes(&mut self.out, bytes.as_bytes());
    }

    fn name(&mut self, name: &ByteString) {
        let next = self.names.len() as u64;
        let index = *self.index.entry(name.clone()).or_insert_with(|| {
            self.names.push(name.clone());
            next
        });
        self.varint(index);
    }

    fn state(&mut self, state: &State) {
        let State { classes, objects } = state;
        self.count(classes.len());
        for (name, class) in classes {
            self.name(name);
            self.class(class);
        }
        self.count(objects.len());
        for (name, objects) in objects {
            self.name(name);
            self.count(objects.len());
            for (key, object) in objects {
                self.key(&key.0);
                self.object(object);
            }
        }
    }

    fn class(&mut self, class: &Class) {
        let Class { kind, properties } = class;
        match kind {
            TableType::Embedded => self.byte(tag::EMBEDDED),
            TableType::TopLevel {
                primary_key,
                asymmetric,
            } => {
                let PrimaryKeySpec {
                    field,
                    key_type,
                    nullable,
                } = primary_key;
                self.byte(tag::TOP_LEVEL);
                self.name(field);
                self.byte(match key_type {
                    PrimaryKeyType::Int => tag::PK_INT,
                    PrimaryKeyType::String => tag::PK_STRING,
                    PrimaryKeyType::ObjectId => tag::PK_OBJECT_ID,
                    PrimaryKeyType::Uuid => tag::PK_UUID,
                    PrimaryKeyType::GlobalKey => tag::PK_GLOBAL_KEY,
                });
                self.bool(*nullable);
                self.bool(*asymmetric);
            }
        }
        self.count(properties.len());
        for (name, property) in properties {
            self.name(name);
            self.property(property);
        }
    }

    fn property(&mut self, property: &Property) {
        let Property {
            column_type,
            nullable,
            collection_type,
        } = property;
        match column_type {
            ColumnType::Mixed => self.byte(tag::COL_MIXED),
            ColumnType::Int => self.byte(tag::COL_INT),
            ColumnType::Bool => self.byte(tag::COL_BOOL),
            ColumnType::String => self.byte(tag::COL_STRING),
            ColumnType::Binary => self.byte(tag::COL_BINARY),
            ColumnType::Timestamp => self.byte(tag::COL_TIMESTAMP),
            ColumnType::Float => self.byte(tag::COL_FLOAT),
            ColumnType::Double => self.byte(tag::COL_DOUBLE),
            ColumnType::Decimal => self.byte(tag::COL_DECIMAL),
            ColumnType::ObjectId => self.byte(tag::COL_OBJECT_ID),
            ColumnType::Uuid => self.byte(tag::COL_UUID),
            ColumnType::Link { target } => {
                self.byte(tag::COL_LINK);
                self.name(target);
            }
        }
        self.bool(*nullable);
        self.byte(match collection_type {
            CollectionType::Single => tag::SINGLE,
            CollectionType::List => tag::LIST,
            CollectionType::Dictionary => tag::DICTIONARY,
            CollectionType::Set => tag::SET,
        });
    }

    fn key(&mut self, key: &PrimaryKey) {
        match key {
            PrimaryKey::Null => self.byte(tag::KEY_NULL),
            PrimaryKey::Int(v) => {
                self.byte(tag::KEY_INT);
                self.varint(zigzag(*v));
            }
            PrimaryKey::String(s) => {
                self.byte(tag::KEY_STRING);
                self.bytes(s);
            }
            PrimaryKey::ObjectId(ObjectId(id)) => {
                self.byte(tag::KEY_OBJECT_ID);
                self.out.extend_from_slice(id);
            }
            PrimaryKey::Uuid(Uuid(id)) => {
                self.byte(tag::KEY_UUID);
                self.out.extend_from_slice(id);
            }
            PrimaryKey::GlobalKey(GlobalKey { hi, lo }) => {
                self.byte(tag::KEY_GLOBAL_KEY);
                self.varint(*hi);
                self.varint(*lo);
            }
        }
    }

    fn object(&mut self, object: &Object) {
        let Object { fields } = object;
        self.count(fields.len());
        for (name, value) in fields {
            self.name(name);
            self.value(value);
        }
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.byte(tag::NULL),
            Value::Int(v) => {
                self.byte(tag::INT);
                self.varint(zigzag(*v));
            }
            Value::Bool(b) => self.byte(if *b { tag::TRUE } else { tag::FALSE }),
            Value::String(s) => {
                self.byte(tag::STRING);
                self.bytes(s);
            }
            Value::Binary(b) => {
                self.byte(tag::BINARY);
                self.bytes(b);
            }
            Value::Timestamp(t) => {
                self.byte(tag::TIMESTAMP);
                self.varint(zigzag(t.seconds()));
                self.varint(zigzag(i64::from(t.nanoseconds())));
            }
            Value::Float(f) => {
                self.byte(tag::FLOAT);
                self.out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Value::Double(d) => {
                self.byte(tag::DOUBLE);
                self.out.extend_from_slice(&d.to_bits().to_le_bytes());
            }
            Value::Decimal(d) => {
                self.byte(tag::DECIMAL);
                self.out.extend_from_slice(&d.to_bits().to_le_bytes());
            }
            Value::ObjectId(ObjectId(id)) => {
                self.byte(tag::OBJECT_ID);
                self.out.extend_from_slice(id);
            }
            Value::Uuid(Uuid(id)) => {
                self.byte(tag::UUID);
                self.out.extend_from_slice(id);
            }
            Value::Link(Link { table, key }) => {
                self.byte(tag::LINK);
                self.name(table);
                self.key(key);
            }
            Value::Object(object) => {
                self.byte(tag::OBJECT);
                self.object(object);
            }
            Value::List(items) => {
                self.byte(tag::VALUE_LIST);
                self.count(items.len());
                items.iter().for_each(|v| self.value(v));
            }
            Value::Set(items) => {
                self.byte(tag::VALUE_SET);
                self.count(items.len());
                items.iter().for_each(|v| self.value(v));
            }
            Value::Dictionary(map) => {
                self.byte(tag::VALUE_DICTIONARY);
                self.count(map.len());
                for (key, value) in map {
                    self.bytes(key);
                    self.value(value);
                }
            }
        }
    }
}

type Decoded<T> = Result<T, SnapshotError>;

/// Reads the body: `bytes[pos..end]`, offsets counted from the snapshot start.
struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
    names: Vec<ByteString>,
}

impl<'a> Decoder<'a> {
    fn new(bytes: &'a [u8], pos: usize, end: usize) -> Decoder<'a> {
        Decoder {
            bytes,
            pos,
            end,
            names: Vec::new(),
        }
    }

    fn remaining(&self) -> usize {
        self.end - self.pos
    }

    fn take(&mut self, n: usize, what: &'static str) -> Decoded<&'a [u8]> {
        if n > self.remaining() {
            return Err(SnapshotError::Truncated {
                offset: self.end,
                what,
            });
        }
        let start = self.pos;
        self.pos += n;
        Ok(&self.bytes[start..self.pos])
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Decoded<[u8; N]> {
        let bytes = self.take(N, what)?;
        let mut out = [0; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn byte(&mut self, what: &'static str) -> Decoded<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn bool(&mut self, what: &'static str) -> Decoded<bool> {
        let offset = self.pos;
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(SnapshotError::BadTag { offset, what, tag }),
        }
    }

    fn varint(&mut self, what: &'static str) -> Decoded<u64> {
        let offset = self.pos;
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte(what)?;
            if shift == 63 && byte > 1 {
                break;
            }
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(SnapshotError::VarintOverflow { offset, what })
    }

    fn i64(&mut self, what: &'static str) -> Decoded<i64> {
        self.varint(what).map(unzigzag)
    }

    /// A count or length: at most the bytes left (every element takes one at
    /// least), so nothing is ever sized from a damaged count.
    fn count(&mut self, what: &'static str) -> Decoded<usize> {
        let offset = self.pos;
        let length = self.varint(what)?;
        let remaining = self.remaining();
        match usize::try_from(length) {
            Ok(n) if n <= remaining => Ok(n),
            _ => Err(SnapshotError::LengthTooLarge {
                offset,
                what,
                length,
                remaining,
            }),
        }
    }

    fn bytes(&mut self, what: &'static str) -> Decoded<ByteString> {
        let len = self.count(what)?;
        self.take(len, what).map(ByteString::from)
    }

    fn name(&mut self, what: &'static str) -> Decoded<ByteString> {
        let offset = self.pos;
        let index = self.varint(what)?;
        usize::try_from(index)
            .ok()
            .and_then(|i| self.names.get(i))
            .cloned()
            .ok_or(SnapshotError::BadNameIndex {
                offset,
                index,
                count: self.names.len(),
            })
    }

    fn tag(&mut self, what: &'static str) -> Decoded<(usize, u8)> {
        let offset = self.pos;
        Ok((offset, self.byte(what)?))
    }

    fn state(mut self) -> Decoded<State> {
        let count = self.count("the name count")?;
        for _ in 0..count {
            let name = self.bytes("a name")?;
            self.names.push(name);
        }
        let mut state = State::default();
        let count = self.count("the class count")?;
        for _ in 0..count {
            let (offset, name) = (self.pos, self.name("a class name")?);
            let class = self.class()?;
            insert_sorted(&mut state.classes, name, class, offset, "class")?;
        }
        let count = self.count("the count of classes with objects")?;
        for _ in 0..count {
            let (offset, name) = (self.pos, self.name("a class name")?);
            let mut objects = BTreeMap::new();
            let n = self.count("an object count")?;
            for _ in 0..n {
                let (offset, key) = (self.pos, ObjectKey(self.key()?));
                let object = self.object(0)?;
                insert_sorted(&mut objects, key, object, offset, "object key")?;
            }
            insert_sorted(&mut state.objects, name, objects, offset, "objects class")?;
        }
        if self.pos != self.end {
            return Err(SnapshotError::TrailingBytes {
                offset: self.pos,
                count: self.remaining(),
            });
        }
        Ok(state)
    }

    fn class(&mut self) -> Decoded<Class> {
        let kind = match self.tag("a class kind")? {
            (_, tag::EMBEDDED) => TableType::Embedded,
            (_, tag::TOP_LEVEL) => {
                let field = self.name("a primary key name")?;
                let key_type = match self.tag("a primary key type")? {
                    (_, tag::PK_INT) => PrimaryKeyType::Int,
                    (_, tag::PK_STRING) => PrimaryKeyType::String,
                    (_, tag::PK_OBJECT_ID) => PrimaryKeyType::ObjectId,
                    (_, tag::PK_UUID) => PrimaryKeyType::Uuid,
                    (_, tag::PK_GLOBAL_KEY) => PrimaryKeyType::GlobalKey,
                    (offset, tag) => return Err(bad_tag(offset, "primary key type", tag)),
                };
                let nullable = self.bool("a primary key nullable flag")?;
                let asymmetric = self.bool("an asymmetric flag")?;
                TableType::TopLevel {
                    primary_key: PrimaryKeySpec {
                        field,
                        key_type,
                        nullable,
                    },
                    asymmetric,
                }
            }
            (offset, tag) => return Err(bad_tag(offset, "class kind", tag)),
        };
        let mut properties = BTreeMap::new();
        let count = self.count("a property count")?;
        for _ in 0..count {
            let (offset, name) = (self.pos, self.name("a property name")?);
            let property = self.property()?;
            insert_sorted(&mut properties, name, property, offset, "property")?;
        }
        Ok(Class { kind, properties })
    }

    fn property(&mut self) -> Decoded<Property> {
        let column_type = match self.tag("a column type")? {
            (_, tag::COL_MIXED) => ColumnType::Mixed,
            (_, tag::COL_INT) => ColumnType::Int,
            (_, tag::COL_BOOL) => ColumnType::Bool,
            (_, tag::COL_STRING) => ColumnType::String,
            (_, tag::COL_BINARY) => ColumnType::Binary,
            (_, tag::COL_TIMESTAMP) => ColumnType::Timestamp,
            (_, tag::COL_FLOAT) => ColumnType::Float,
            (_, tag::COL_DOUBLE) => ColumnType::Double,
            (_, tag::COL_DECIMAL) => ColumnType::Decimal,
            (_, tag::COL_OBJECT_ID) => ColumnType::ObjectId,
            (_, tag::COL_UUID) => ColumnType::Uuid,
            (_, tag::COL_LINK) => ColumnType::Link {
                target: self.name("a link target")?,
            },
            (offset, tag) => return Err(bad_tag(offset, "column type", tag)),
        };
        let nullable = self.bool("a nullable flag")?;
        let collection_type = match self.tag("a collection type")? {
            (_, tag::SINGLE) => CollectionType::Single,
            (_, tag::LIST) => CollectionType::List,
            (_, tag::DICTIONARY) => CollectionType::Dictionary,
            (_, tag::SET) => CollectionType::Set,
            (offset, tag) => return Err(bad_tag(offset, "collection type", tag)),
        };
        Ok(Property {
            column_type,
            nullable,
            collection_type,
        })
    }

    fn key(&mut self) -> Decoded<PrimaryKey> {
        Ok(match self.tag("a key")? {
            (_, tag::KEY_NULL) => PrimaryKey::Null,
            (_, tag::KEY_INT) => PrimaryKey::Int(self.i64("an Int key")?),
            (_, tag::KEY_STRING) => PrimaryKey::String(self.bytes("a String key")?),
            (_, tag::KEY_OBJECT_ID) => PrimaryKey::ObjectId(ObjectId(self.array("an ObjectId")?)),
            (_, tag::KEY_UUID) => PrimaryKey::Uuid(Uuid(self.array("a UUID")?)),
            (_, tag::KEY_GLOBAL_KEY) => PrimaryKey::GlobalKey(GlobalKey {
                hi: self.varint("a GlobalKey")?,
                lo: self.varint("a GlobalKey")?,
            }),
            (offset, tag) => return Err(bad_tag(offset, "key type", tag)),
        })
    }

    /// An object whose field values are at `depth`.
    fn object(&mut self, depth: usize) -> Decoded<Object> {
        let mut fields = BTreeMap::new();
        let count = self.count("a field count")?;
        for _ in 0..count {
            let (offset, name) = (self.pos, self.name("a field name")?);
            let value = self.value(depth)?;
            insert_sorted(&mut fields, name, value, offset, "field")?;
        }
        Ok(Object { fields })
    }

    /// A value at `depth`: what it holds is at `depth + 1`.
    ///
    /// The recursion goes value → container → value; plain values are read
    /// out of line so that each level takes little stack, in debug builds too.
    fn value(&mut self, depth: usize) -> Decoded<Value> {
        let (offset, tag) = self.tag("a value")?;
        let inner = depth + 1;
        match tag {
            tag::OBJECT | tag::VALUE_LIST | tag::VALUE_SET | tag::VALUE_DICTIONARY
                if inner > MAX_SNAPSHOT_DEPTH =>
            {
                Err(SnapshotError::TooDeep {
                    offset,
                    limit: MAX_SNAPSHOT_DEPTH,
                })
            }
            tag::OBJECT => Ok(Value::Object(Box::new(self.object(inner)?))),
            tag::VALUE_LIST => self.list(inner),
            tag::VALUE_SET => self.set(inner),
            tag::VALUE_DICTIONARY => self.dictionary(inner),
            _ => self.plain(offset, tag),
        }
    }

    /// A value that holds no other values, after its tag.
    #[inline(never)]
    fn plain(&mut self, offset: usize, tag: u8) -> Decoded<Value> {
        Ok(match tag {
            tag::NULL => Value::Null,
            tag::INT => Value::Int(self.i64("an Int")?),
            tag::FALSE => Value::Bool(false),
            tag::TRUE => Value::Bool(true),
            tag::STRING => Value::String(self.bytes("a String")?),
            tag::BINARY => Value::Binary(self.bytes("a Binary")?),
            tag::TIMESTAMP => {
                let offset = self.pos;
                let seconds = self.i64("a Timestamp")?;
                let nanoseconds = self.i64("a Timestamp")?;
                let t = i32::try_from(nanoseconds)
                    .ok()
                    .and_then(|n| Timestamp::new(seconds, n))
                    .ok_or(SnapshotError::BadTimestamp {
                        offset,
                        seconds,
                        nanoseconds,
                    })?;
                Value::Timestamp(t)
            }
            tag::FLOAT => Value::Float(f32::from_bits(u32::from_le_bytes(self.array("a Float")?))),
            tag::DOUBLE => {
                Value::Double(f64::from_bits(u64::from_le_bytes(self.array("a Double")?)))
            }
            tag::DECIMAL => Value::Decimal(Decimal128::from_bits(u128::from_le_bytes(
                self.array("a Decimal128")?,
            ))),
            tag::OBJECT_ID => Value::ObjectId(ObjectId(self.array("an ObjectId")?)),
            tag::UUID => Value::Uuid(Uuid(self.array("a UUID")?)),
            tag::LINK => Value::Link(Link {
                table: self.name("a link's class")?,
                key: self.key()?,
            }),
            tag => return Err(bad_tag(offset, "value type", tag)),
        })
    }

    /// A list whose elements are at `depth`.
    fn list(&mut self, depth: usize) -> Decoded<Value> {
        let count = self.count("a list length")?;
        let mut items = Vec::new();
        for _ in 0..count {
            items.push(self.value(depth)?);
        }
        Ok(Value::List(items))
    }

    /// A set: plain values, strictly increasing (so distinct), as `State`
    /// keeps them.
    fn set(&mut self, depth: usize) -> Decoded<Value> {
        let count = self.count("a set length")?;
        let mut items: Vec<Value> = Vec::new();
        for _ in 0..count {
            let offset = self.pos;
            let item = self.value(depth)?;
            if matches!(
                item,
                Value::Object(_) | Value::List(_) | Value::Set(_) | Value::Dictionary(_)
            ) {
                return Err(SnapshotError::NotPlainInSet { offset });
            }
            if items
                .last()
                .is_some_and(|last| last.canonical_cmp(&item).is_ge())
            {
                return Err(SnapshotError::OutOfOrder {
                    offset,
                    what: "set element",
                });
            }
            items.push(item);
        }
        Ok(Value::Set(items))
    }

    /// A dictionary whose values are at `depth`.
    fn dictionary(&mut self, depth: usize) -> Decoded<Value> {
        let count = self.count("a dictionary length")?;
        let mut map = BTreeMap::new();
        for _ in 0..count {
            let offset = self.pos;
            let key = self.bytes("a dictionary key")?;
            let value = self.value(depth)?;
            insert_sorted(&mut map, key, value, offset, "dictionary key")?;
        }
        Ok(Value::Dictionary(map))
    }
}

fn bad_tag(offset: usize, what: &'static str, tag: u8) -> SnapshotError {
    SnapshotError::BadTag { offset, what, tag }
}

/// Appends to a map whose keys must come strictly increasing (the encoder writes
/// them in map order): a repeated key would otherwise silently replace one.
fn insert_sorted<K: Ord, V>(
    map: &mut BTreeMap<K, V>,
    key: K,
    value: V,
    offset: usize,
    what: &'static str,
) -> Decoded<()> {
    if map.last_key_value().is_some_and(|(last, _)| *last >= key) {
        return Err(SnapshotError::OutOfOrder { offset, what });
    }
    map.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;
    use std::fs;

    use proptest::collection::{btree_map, vec};
    use proptest::prelude::*;

    use super::*;
    use crate::changeset;
    use crate::objects::final_state;
    use crate::protocol::{Limits, ProtocolVersion, ServerMessage};

    const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/sessions");

    /// The captured sessions, by name.
    fn sessions() -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(SESSIONS)
            .expect("sessions directory")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .collect();
        names.sort();
        names
    }

    /// The state after each changeset the fresh client of `session` downloaded,
    /// applied in server-version order to an empty state.
    fn downloaded_states(session: &str) -> Vec<State> {
        let path = format!("{SESSIONS}/{session}/wire-fresh.jsonl");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let records: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        let version = records
            .iter()
            .find_map(|r| r["protocol"].as_str())
            .and_then(|p| p.rsplit(['#', '/']).next()?.parse().ok())
            .and_then(ProtocolVersion::new)
            .expect("negotiated protocol version");
        let limits = Limits::default();
        let mut state = State::new();
        let mut states = Vec::new();
        let mut last = 0;
        for record in &records {
            let (Some(hex), Some("recv")) = (record["hex"].as_str(), record["dir"].as_str()) else {
                continue;
            };
            let message = hex::decode(hex).expect("hex");
            let parsed = ServerMessage::parse(&message, version, &limits).expect("message");
            let ServerMessage::Download(download) = parsed else {
                continue;
            };
            for entry in download.changesets {
                let server_version = u64::from(entry.server_version);
                assert!(server_version > last, "{session}: server-version order");
                last = server_version;
                let decoded = changeset::decode(&entry.changeset).expect("changeset");
                state.apply(&decoded).expect("changeset applies");
                states.push(state.clone());
            }
        }
        assert!(!states.is_empty(), "{session}: the fresh client downloads");
        states
    }

    fn expected_final_state(session: &str) -> serde_json::Value {
        let path = format!("{SESSIONS}/{session}/final-state.json");
        serde_json::from_str(&fs::read_to_string(path).expect("final-state.json")).expect("json")
    }

    /// The snapshot of the final state of every session, largest last.
    fn captured_snapshots() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = sessions()
            .iter()
            .filter_map(|s| downloaded_states(s).pop())
            .map(|s| encode_snapshot(&s))
            .collect();
        out.sort_by_key(Vec::len);
        out
    }

    fn assert_round_trip(state: &State) -> Vec<u8> {
        let bytes = encode_snapshot(state);
        let decoded = decode_snapshot(&bytes).expect("snapshot decodes");
        assert_eq!(&decoded, state);
        // One byte string per state: re-encoding gives the same bytes.
        assert_eq!(encode_snapshot(&decoded), bytes);
        bytes
    }

    /// The body of a snapshot (between header and checksum).
    fn body(snapshot: &[u8]) -> &[u8] {
        &snapshot[HEADER_LEN..snapshot.len() - CHECKSUM_LEN]
    }

    /// A well-framed snapshot around `body` (right length and checksum), to reach
    /// the body decoder with damaged content.
    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = SNAPSHOT_MAGIC.to_vec();
        out.extend_from_slice(&SNAPSHOT_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(body);
        let checksum = crc32(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    #[test]
    fn captured_states_round_trip() {
        let sessions = sessions();
        assert!(sessions.len() >= 5, "captured sessions: {sessions:?}");
        for session in &sessions {
            let states = downloaded_states(session);
            for state in &states {
                assert_round_trip(state);
            }
            let last = states.last().expect("a state");
            let decoded = decode_snapshot(&encode_snapshot(last)).expect("decodes");
            assert_eq!(final_state(&decoded), final_state(last), "{session}");
            assert_eq!(
                final_state(&decoded),
                expected_final_state(session),
                "{session}"
            );
        }
    }

    fn object(fields: Vec<(&str, Value)>) -> Object {
        Object {
            fields: fields.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }

    fn top_level(field: &str, key_type: PrimaryKeyType, nullable: bool, asym: bool) -> Class {
        Class {
            kind: TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field: field.into(),
                    key_type,
                    nullable,
                },
                asymmetric: asym,
            },
            properties: BTreeMap::new(),
        }
    }

    fn property(column_type: ColumnType, nullable: bool, c: CollectionType) -> Property {
        Property {
            column_type,
            nullable,
            collection_type: c,
        }
    }

    /// Every kind of class, property, key and value, with the float, decimal and
    /// byte-string values that a lossy encoding would get wrong.
    fn every_kind() -> State {
        let link = |table: &str, key| {
            Value::Link(Link {
                table: table.into(),
                key,
            })
        };
        let ts = |s, n| Value::Timestamp(Timestamp::new(s, n).expect("valid"));
        let plain = vec![
            Value::Null,
            Value::Int(i64::MIN),
            Value::Int(-1),
            Value::Int(i64::MAX),
            Value::Bool(false),
            Value::Bool(true),
            Value::String("".into()),
            Value::String("naïve".into()),
            Value::String(ByteString::from(&[0xff, 0x00, 0xc3][..])),
            Value::Binary(ByteString::from(&[0u8, 1, 255][..])),
            ts(-5, -999_999_999),
            ts(i64::MAX, 999_999_999),
            ts(0, -1),
            Value::Float(-0.0),
            Value::Float(f32::from_bits(0x7fc0_1234)),
            Value::Float(f32::from_bits(0xff80_0001)),
            Value::Float(f32::NEG_INFINITY),
            Value::Float(f32::MIN_POSITIVE / 2.0),
            Value::Double(-0.0),
            Value::Double(f64::from_bits(0x7ff8_dead_beef_0001)),
            Value::Double(f64::from_bits(0xfff0_0000_0000_0001)),
            Value::Double(f64::INFINITY),
            Value::Double(5e-324),
            Value::Decimal(Decimal128::from_bits(0x7c00_0000_0000_0000 << 64 | 0xaa)),
            Value::Decimal(Decimal128::from_parts(10, -1, true).expect("decimal")),
            Value::Decimal(Decimal128::from_bits(u128::MAX)),
            Value::ObjectId(ObjectId([0xab; 12])),
            Value::Uuid(Uuid([0xcd; 16])),
            link("Person", PrimaryKey::Int(1)),
            link("Person", PrimaryKey::Int(404)),
            link(
                "Keyless",
                PrimaryKey::GlobalKey(GlobalKey {
                    hi: 1,
                    lo: u64::MAX,
                }),
            ),
        ];
        let mut set = plain.clone();
        set.sort_by(Value::canonical_cmp);
        set.dedup_by(|a, b| a.canonical_cmp(b) == Ordering::Equal);

        let address = |city: &str| {
            Value::Object(Box::new(object(vec![
                ("city", Value::String(city.into())),
                (
                    "inner",
                    Value::Object(Box::new(object(vec![("n", Value::Int(1))]))),
                ),
            ])))
        };
        let mixed_nested = Value::List(vec![
            Value::Int(5),
            Value::Dictionary(
                [
                    (
                        "k".into(),
                        Value::List(vec![link("Person", PrimaryKey::Int(1))]),
                    ),
                    ("e".into(), Value::Dictionary(BTreeMap::new())),
                ]
                .into_iter()
                .collect(),
            ),
            Value::List(Vec::new()),
        ]);

        let mut state = State::new();
        let mut person = top_level("id", PrimaryKeyType::Int, false, false);
        use CollectionType as C;
        for (name, column_type, nullable, c) in [
            ("mixed", ColumnType::Mixed, true, C::Single),
            ("int", ColumnType::Int, false, C::Single),
            ("counter", ColumnType::Int, true, C::Single),
            ("bool", ColumnType::Bool, true, C::List),
            ("string", ColumnType::String, false, C::Dictionary),
            ("binary", ColumnType::Binary, true, C::Set),
            ("date", ColumnType::Timestamp, false, C::Single),
            ("float", ColumnType::Float, false, C::Single),
            ("double", ColumnType::Double, true, C::Single),
            ("decimal", ColumnType::Decimal, false, C::Single),
            ("oid", ColumnType::ObjectId, false, C::Single),
            ("uuid", ColumnType::Uuid, true, C::Single),
            (
                "friend",
                ColumnType::Link {
                    target: "Person".into(),
                },
                true,
                C::Single,
            ),
            (
                "typed",
                ColumnType::Link { target: "".into() },
                true,
                C::List,
            ),
            (
                "address",
                ColumnType::Link {
                    target: "Address".into(),
                },
                true,
                C::Single,
            ),
            (
                "addresses",
                ColumnType::Link {
                    target: "Address".into(),
                },
                false,
                C::List,
            ),
            (
                "by_name",
                ColumnType::Link {
                    target: "Address".into(),
                },
                false,
                C::Dictionary,
            ),
            ("everything", ColumnType::Mixed, true, C::Set),
        ] {
            let p = property(column_type, nullable, c);
            person.properties.insert(name.into(), p);
        }
        let embedded = Class {
            kind: TableType::Embedded,
            properties: [(
                "city".into(),
                property(ColumnType::String, false, C::Single),
            )]
            .into_iter()
            .collect(),
        };
        state.classes.insert("Person".into(), person);
        state.classes.insert("Address".into(), embedded);
        for (name, field, key_type, nullable, asym) in [
            ("Keyless", "", PrimaryKeyType::GlobalKey, false, false),
            ("ByString", "name", PrimaryKeyType::String, true, false),
            ("ByOid", "_id", PrimaryKeyType::ObjectId, false, true),
            ("ByUuid", "_id", PrimaryKeyType::Uuid, true, false),
        ] {
            state
                .classes
                .insert(name.into(), top_level(field, key_type, nullable, asym));
        }
        state.classes.insert(
            ByteString::from(&[0xfe, b'x'][..]),
            top_level("k", PrimaryKeyType::Int, true, false),
        );

        let mut people = BTreeMap::new();
        let mut fields = vec![
            ("mixed", mixed_nested),
            ("counter", Value::Int(-42)),
            ("address", address("Oslo")),
            (
                "addresses",
                Value::List(vec![address("Rome"), address("Lima")]),
            ),
            (
                "by_name",
                Value::Dictionary(
                    [
                        ("home".into(), address("Kyiv")),
                        ("none".into(), Value::Null),
                    ]
                    .into_iter()
                    .collect(),
                ),
            ),
            ("everything", Value::Set(set)),
            ("list", Value::List(plain.clone())),
            (
                "dict",
                Value::Dictionary(
                    plain
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (ByteString::from(format!("k{i}")), v.clone()))
                        .collect(),
                ),
            ),
        ];
        let singles: Vec<(String, Value)> = plain
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("single{i}"), v.clone()))
            .collect();
        fields.extend(singles.iter().map(|(k, v)| (k.as_str(), v.clone())));
        people.insert(ObjectKey(PrimaryKey::Int(1)), object(fields));
        people.insert(ObjectKey(PrimaryKey::Int(-7)), Object::default());
        state.objects.insert("Person".into(), people);
        let keyed = |keys: Vec<PrimaryKey>| {
            keys.into_iter()
                .map(|k| (ObjectKey(k), object(vec![("x", Value::Null)])))
                .collect::<BTreeMap<_, _>>()
        };
        state.objects.insert(
            "Keyless".into(),
            keyed(vec![
                PrimaryKey::GlobalKey(GlobalKey { hi: 0, lo: 0 }),
                PrimaryKey::GlobalKey(GlobalKey {
                    hi: u64::MAX,
                    lo: 3,
                }),
            ]),
        );
        state.objects.insert(
            "ByString".into(),
            keyed(vec![
                PrimaryKey::Null,
                PrimaryKey::String("".into()),
                PrimaryKey::String(ByteString::from(&[0xff][..])),
            ]),
        );
        state.objects.insert(
            "ByOid".into(),
            keyed(vec![PrimaryKey::ObjectId(ObjectId([1; 12]))]),
        );
        state.objects.insert(
            "ByUuid".into(),
            keyed(vec![PrimaryKey::Null, PrimaryKey::Uuid(Uuid([2; 16]))]),
        );
        state
            .objects
            .insert(ByteString::from(&[0xfe, b'x'][..]), BTreeMap::new());
        state
    }

    #[test]
    fn every_kind_of_class_and_value_round_trips() {
        assert_round_trip(&State::new());
        let state = every_kind();
        let bytes = assert_round_trip(&state);
        // Floats come back bit for bit, not merely equal.
        let decoded = decode_snapshot(&bytes).expect("decodes");
        let person = &decoded.objects["Person".as_bytes()][&ObjectKey(PrimaryKey::Int(1))];
        let Value::List(list) = &person.fields["list".as_bytes()] else {
            panic!("list");
        };
        assert!(list
            .iter()
            .any(|v| matches!(v, Value::Float(f) if f.to_bits() == 0x7fc0_1234)));
        assert!(list
            .iter()
            .any(|v| matches!(v, Value::Double(d) if d.to_bits() == 1 << 63)));
    }

    // Arbitrary states: not necessarily reachable by applying changesets, which
    // the format does not rely on; sets are kept canonical, as `State` keeps them.

    fn bytes() -> impl Strategy<Value = ByteString> {
        vec(any::<u8>(), 0..6).prop_map(ByteString::from)
    }

    fn name() -> impl Strategy<Value = ByteString> {
        prop_oneof![
            prop::sample::select(vec!["", "a", "b", "Person", "_id"]).prop_map(ByteString::from),
            bytes(),
        ]
    }

    fn primary_key() -> impl Strategy<Value = PrimaryKey> {
        prop_oneof![
            Just(PrimaryKey::Null),
            any::<i64>().prop_map(PrimaryKey::Int),
            bytes().prop_map(PrimaryKey::String),
            any::<[u8; 12]>().prop_map(|b| PrimaryKey::ObjectId(ObjectId(b))),
            any::<[u8; 16]>().prop_map(|b| PrimaryKey::Uuid(Uuid(b))),
            any::<(u64, u64)>().prop_map(|(hi, lo)| PrimaryKey::GlobalKey(GlobalKey { hi, lo })),
        ]
    }

    fn timestamp() -> impl Strategy<Value = Timestamp> {
        (any::<i64>(), 0..Timestamp::NANOS_PER_SECOND).prop_map(|(s, n)| {
            let n = if s < 0 { -n } else { n };
            Timestamp::new(s, n).expect("valid")
        })
    }

    fn plain_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::Int),
            any::<bool>().prop_map(Value::Bool),
            bytes().prop_map(Value::String),
            bytes().prop_map(Value::Binary),
            timestamp().prop_map(Value::Timestamp),
            any::<u32>().prop_map(|b| Value::Float(f32::from_bits(b))),
            any::<u64>().prop_map(|b| Value::Double(f64::from_bits(b))),
            any::<u128>().prop_map(|b| Value::Decimal(Decimal128::from_bits(b))),
            any::<[u8; 12]>().prop_map(|b| Value::ObjectId(ObjectId(b))),
            any::<[u8; 16]>().prop_map(|b| Value::Uuid(Uuid(b))),
            (name(), primary_key()).prop_map(|(table, key)| Value::Link(Link { table, key })),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        plain_value().prop_recursive(4, 48, 4, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Value::List),
                vec(plain_value(), 0..5).prop_map(|mut items| {
                    items.sort_by(Value::canonical_cmp);
                    items.dedup_by(|a, b| a.canonical_cmp(b) == Ordering::Equal);
                    Value::Set(items)
                }),
                btree_map(bytes(), inner.clone(), 0..4).prop_map(Value::Dictionary),
                btree_map(name(), inner, 0..4)
                    .prop_map(|fields| Value::Object(Box::new(Object { fields }))),
            ]
        })
    }

    fn column_type() -> impl Strategy<Value = ColumnType> {
        prop_oneof![
            prop::sample::select(vec![
                ColumnType::Mixed,
                ColumnType::Int,
                ColumnType::Bool,
                ColumnType::String,
                ColumnType::Binary,
                ColumnType::Timestamp,
                ColumnType::Float,
                ColumnType::Double,
                ColumnType::Decimal,
                ColumnType::ObjectId,
                ColumnType::Uuid,
            ]),
            name().prop_map(|target| ColumnType::Link { target }),
        ]
    }

    fn class() -> impl Strategy<Value = Class> {
        let key_type = prop::sample::select(vec![
            PrimaryKeyType::Int,
            PrimaryKeyType::String,
            PrimaryKeyType::ObjectId,
            PrimaryKeyType::Uuid,
            PrimaryKeyType::GlobalKey,
        ]);
        let kind = prop_oneof![
            Just(TableType::Embedded),
            (name(), key_type, any::<bool>(), any::<bool>()).prop_map(
                |(field, key_type, nullable, asymmetric)| TableType::TopLevel {
                    primary_key: PrimaryKeySpec {
                        field,
                        key_type,
                        nullable,
                    },
                    asymmetric,
                }
            ),
        ];
        let collection = prop::sample::select(vec![
            CollectionType::Single,
            CollectionType::List,
            CollectionType::Dictionary,
            CollectionType::Set,
        ]);
        let property = (column_type(), any::<bool>(), collection)
            .prop_map(|(t, nullable, c)| property(t, nullable, c));
        (kind, btree_map(name(), property, 0..5))
            .prop_map(|(kind, properties)| Class { kind, properties })
    }

    fn state() -> impl Strategy<Value = State> {
        let object = btree_map(name(), value(), 0..5).prop_map(|fields| Object { fields });
        let objects = btree_map(primary_key().prop_map(ObjectKey), object, 0..4);
        (
            btree_map(name(), class(), 0..4),
            btree_map(name(), objects, 0..3),
        )
            .prop_map(|(classes, objects)| State { classes, objects })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_states_round_trip(state in state()) {
            let bytes = encode_snapshot(&state);
            prop_assert_eq!(decode_snapshot(&bytes), Ok(state));
            let decoded = decode_snapshot(&bytes).expect("decodes");
            prop_assert_eq!(encode_snapshot(&decoded), bytes);
        }

        /// Damaged bodies, framed with a valid checksum so they reach the body
        /// decoder: an error or some state, never a panic.
        #[test]
        fn damaged_bodies_never_panic(
            state in state(),
            edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let snapshot = encode_snapshot(&state);
            let mut damaged = body(&snapshot).to_vec();
            if !damaged.is_empty() {
                for (at, byte) in edits {
                    let i = at.index(damaged.len());
                    damaged[i] = byte;
                }
            }
            let _ = decode_snapshot(&framed(&damaged));
        }
    }

    #[test]
    fn truncation_at_every_offset_is_an_error() {
        let snapshots = captured_snapshots();
        let largest = snapshots.last().expect("a snapshot");
        for n in 0..largest.len() {
            let error = decode_snapshot(&largest[..n]).expect_err("truncated snapshot");
            assert!(
                matches!(error, SnapshotError::Truncated { offset, .. } if offset == n),
                "cut at {n}: {error}"
            );
        }
        // A cut body behind a valid frame reaches the body decoder, which runs
        // out of bytes or finds a count larger than what is left. (The smallest
        // snapshot: decoding is slow enough unoptimized.)
        let body = body(&snapshots[0]);
        for n in 0..body.len() {
            let error = decode_snapshot(&framed(&body[..n])).expect_err("cut body");
            let end = HEADER_LEN + n;
            assert!(
                matches!(
                    error,
                    SnapshotError::Truncated { offset, .. } if offset == end
                ) || matches!(error, SnapshotError::LengthTooLarge { .. }),
                "body cut at {n}: {error}"
            );
        }
    }

    #[test]
    fn every_damaged_byte_is_an_error_or_a_state() {
        let snapshots = captured_snapshots();
        let largest = snapshots.last().expect("a snapshot");
        for i in 0..largest.len() {
            let mut damaged = largest.clone();
            damaged[i] ^= 0x10;
            // The checksum (or the header check) notices every one.
            assert!(decode_snapshot(&damaged).is_err(), "byte {i} damaged");
        }
        // Behind a valid frame, damage reaches the body decoder: an error or
        // some state, never a panic.
        let body = body(&snapshots[0]);
        for i in 0..body.len() {
            for mask in [0x01, 0x40, 0x80, 0xff] {
                let mut damaged = body.to_vec();
                damaged[i] ^= mask;
                let _ = decode_snapshot(&framed(&damaged));
            }
        }
    }

    #[test]
    fn another_format_version_is_its_own_error() {
        let mut snapshot = encode_snapshot(&every_kind());
        for found in [0, 2, u32::MAX] {
            snapshot[8..12].copy_from_slice(&found.to_le_bytes());
            assert_eq!(
                decode_snapshot(&snapshot),
                Err(SnapshotError::UnsupportedVersion {
                    offset: 8,
                    found,
                    supported: SNAPSHOT_FORMAT_VERSION
                })
            );
            // Only magic and version are read: a later format may differ after them.
            assert!(matches!(
                decode_snapshot(&snapshot[..12]),
                Err(SnapshotError::UnsupportedVersion { found: f, .. }) if f == found
            ));
        }
    }

    #[test]
    fn framing_errors_name_their_offset() {
        let snapshot = encode_snapshot(&every_kind());
        let len = snapshot.len();
        let mut bad_magic = snapshot.clone();
        bad_magic[3] = b'x';
        assert_eq!(
            decode_snapshot(&bad_magic),
            Err(SnapshotError::BadMagic { offset: 3 })
        );
        assert_eq!(
            decode_snapshot(b"PK\x03\x04"),
            Err(SnapshotError::BadMagic { offset: 0 })
        );
        let mut longer = snapshot.clone();
        longer.extend_from_slice(b"xyz");
        assert_eq!(
            decode_snapshot(&longer),
            Err(SnapshotError::TrailingBytes {
                offset: len,
                count: 3
            })
        );
        let mut damaged = snapshot.clone();
        damaged[HEADER_LEN + 5] ^= 1;
        let error = decode_snapshot(&damaged).expect_err("damaged");
        assert!(
            matches!(error, SnapshotError::ChecksumMismatch { offset, .. } if offset == len - 4),
            "{error}"
        );
        let mut huge = snapshot.clone();
        huge[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(
            decode_snapshot(&huge),
            Err(SnapshotError::Truncated {
                offset: len,
                what: "the body"
            })
        );
    }

    #[test]
    fn body_errors_name_what_and_where() {
        let varint = |v: u64| {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            out
        };
        // A count far beyond the input is refused before anything is allocated.
        let body = varint(u64::MAX);
        assert_eq!(
            decode_snapshot(&framed(&body)),
            Err(SnapshotError::LengthTooLarge {
                offset: HEADER_LEN,
                what: "the name count",
                length: u64::MAX,
                remaining: 0,
            })
        );
        assert_eq!(
            decode_snapshot(&framed(&[0x80; 11])),
            Err(SnapshotError::VarintOverflow {
                offset: HEADER_LEN,
                what: "the name count"
            })
        );
        // names ["P"], one class "P" of an unknown kind.
        let body = [1, 1, b'P', 1, 0, 9];
        assert_eq!(
            decode_snapshot(&framed(&body)),
            Err(SnapshotError::BadTag {
                offset: HEADER_LEN + 5,
                what: "class kind",
                tag: 9
            })
        );
        // A class name that is not in the table.
        let body = [1, 1, b'P', 1, 3];
        assert_eq!(
            decode_snapshot(&framed(&body)),
            Err(SnapshotError::BadNameIndex {
                offset: HEADER_LEN + 4,
                index: 3,
                count: 1
            })
        );
        // The same class twice.
        let body = [1, 1, b'P', 2, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            decode_snapshot(&framed(&body)),
            Err(SnapshotError::OutOfOrder {
                offset: HEADER_LEN + 7,
                what: "class"
            })
        );
        // An object of "P" (key null) whose field "P" holds a bad value.
        let object = |value: &[u8]| {
            let mut body = vec![1, 1, b'P', 0, 1, 0, 1, tag::KEY_NULL, 1, 0];
            body.extend_from_slice(value);
            decode_snapshot(&framed(&body))
        };
        let at = HEADER_LEN + 10;
        assert_eq!(
            object(&[tag::TIMESTAMP, 2, 1]),
            Err(SnapshotError::BadTimestamp {
                offset: at + 1,
                seconds: 1,
                nanoseconds: -1
            })
        );
        assert_eq!(
            object(&[tag::VALUE_SET, 2, tag::INT, 4, tag::INT, 2]),
            Err(SnapshotError::OutOfOrder {
                offset: at + 4,
                what: "set element"
            })
        );
        assert_eq!(
            object(&[tag::VALUE_SET, 1, tag::VALUE_LIST, 0]),
            Err(SnapshotError::NotPlainInSet { offset: at + 2 })
        );
        assert_eq!(
            object(&[tag::VALUE_DICTIONARY, 2, 1, b'b', 0, 1, b'a', 0]),
            Err(SnapshotError::OutOfOrder {
                offset: at + 5,
                what: "dictionary key"
            })
        );
        assert_eq!(
            object(&[99]),
            Err(SnapshotError::BadTag {
                offset: at,
                what: "value type",
                tag: 99
            })
        );
        assert_eq!(
            object(&[tag::STRING, 5, b'a']),
            Err(SnapshotError::LengthTooLarge {
                offset: at + 1,
                what: "a String",
                length: 5,
                remaining: 1
            })
        );
    }

    /// A state whose one field holds `levels` nested lists.
    fn nested(levels: usize) -> State {
        let mut value = Value::Null;
        for _ in 0..levels {
            value = Value::List(vec![value]);
        }
        let mut state = State::new();
        let objects = [(ObjectKey(PrimaryKey::Int(0)), object(vec![("deep", value)]))];
        state
            .objects
            .insert("T".into(), objects.into_iter().collect());
        state
    }

    #[test]
    fn nesting_is_bounded() {
        // Run on a thread with the 2 MiB stack of a tokio worker.
        let run = || {
            assert_round_trip(&nested(MAX_SNAPSHOT_DEPTH));
            let too_deep = encode_snapshot(&nested(MAX_SNAPSHOT_DEPTH + 1));
            let error = decode_snapshot(&too_deep).expect_err("too deep");
            assert!(
                matches!(error, SnapshotError::TooDeep { limit, .. } if limit == MAX_SNAPSHOT_DEPTH),
                "{error}"
            );
            // Hand-made bytes far deeper than any encoder would write.
            let mut body = vec![1, 1, b'T', 0, 1, 0, 1, tag::KEY_NULL, 1, 0];
            body.extend(std::iter::repeat_n([tag::VALUE_LIST, 1], 100_000).flatten());
            body.push(tag::NULL);
            let error = decode_snapshot(&framed(&body)).expect_err("too deep");
            assert!(matches!(error, SnapshotError::TooDeep { .. }), "{error}");
        };
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(run)
            .expect("thread")
            .join()
            .expect("no stack overflow");
    }
}
