//! Where a path instruction acts: object, field, and a path below the field.

use std::ops::Deref;

use super::bytes::ByteString;
use super::payload::PrimaryKey;

/// One step below a field: a list position, or an embedded-object field name /
/// dictionary key (the wire does not distinguish the two kinds of name).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PathElement {
    Index(u32),
    Key(ByteString),
}

/// A path of any shape, relative to the instruction's field (the field name is not
/// part of it): `obj.list[3]` is field `list`, path `[3]`.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Path(pub Vec<PathElement>);

/// A path that ends with a list index: the element that ArrayInsert, ArrayMove,
/// ArrayErase and a list-element Update address.
///
/// The wire format decides from the last element whether an Update carries a
/// `prior_size` or an `is_default`, and array instructions without a trailing index
/// are invalid; keeping that last index out of reach of kind-changing edits makes
/// both illegal states unrepresentable while the merge engine still sees one flat
/// element slice (via `Deref`).
///
/// A boxed slice, not a `Vec`: a path is never grown in place, and the eight
/// bytes of capacity would be paid by every instruction (the merge reads
/// instructions by the thousand: benches/README.md "Merge").
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ElementPath(Box<[PathElement]>);

/// A path that is empty or ends with a name: a field, an embedded object's field or
/// a dictionary entry, i.e. what a non-list Update writes. Boxed like
/// [`ElementPath`].
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct ValuePath(Box<[PathElement]>);

impl ElementPath {
    /// The element at `index` of the collection that `container` addresses.
    pub fn new(container: Vec<PathElement>, index: u32) -> ElementPath {
        let mut elements = container;
        elements.push(PathElement::Index(index));
        ElementPath(elements.into())
    }

    /// The list position (the last element).
    pub fn index(&self) -> u32 {
        match self.0.last() {
            Some(PathElement::Index(i)) => *i,
            // Unreachable by construction: every constructor ends the path with an index.
            _ => 0,
        }
    }

    /// Changes the list position, keeping the shape.
    pub fn set_index(&mut self, index: u32) {
        if let Some(PathElement::Index(i)) = self.0.last_mut() {
            *i = index;
        }
    }

    /// The path of the list itself (everything but the last element).
    pub fn container(&self) -> &[PathElement] {
        self.0.split_last().map_or(&[], |(_, rest)| rest)
    }

    /// The `position`-th index of the path, for rewriting it; `None` if that element
    /// is a name or out of range. Names cannot be changed, so the shape is kept.
    pub fn index_at_mut(&mut self, position: usize) -> Option<&mut u32> {
        index_at_mut(&mut self.0, position)
    }
}

impl TryFrom<Vec<PathElement>> for ElementPath {
    type Error = Vec<PathElement>;

    /// Accepts a path whose last element is an index; gives the path back otherwise.
    fn try_from(elements: Vec<PathElement>) -> Result<ElementPath, Vec<PathElement>> {
        match elements.last() {
            Some(PathElement::Index(_)) => Ok(ElementPath(elements.into())),
            _ => Err(elements),
        }
    }
}

impl ValuePath {
    /// The field itself (empty path).
    pub fn field() -> ValuePath {
        ValuePath(Box::default())
    }

    /// The entry `key` of the embedded object or dictionary that `container` addresses.
    pub fn key(container: Vec<PathElement>, key: ByteString) -> ValuePath {
        let mut elements = container;
        elements.push(PathElement::Key(key));
        ValuePath(elements.into())
    }

    /// See [`ElementPath::index_at_mut`].
    pub fn index_at_mut(&mut self, position: usize) -> Option<&mut u32> {
        index_at_mut(&mut self.0, position)
    }
}

impl TryFrom<Vec<PathElement>> for ValuePath {
    type Error = Vec<PathElement>;

    /// Accepts an empty path or one ending with a name; gives the path back otherwise.
    fn try_from(elements: Vec<PathElement>) -> Result<ValuePath, Vec<PathElement>> {
        match elements.last() {
            None | Some(PathElement::Key(_)) => Ok(ValuePath(elements.into())),
            Some(PathElement::Index(_)) => Err(elements),
        }
    }
}

/// Sorts a path into the one shape it has: `Ok` if it ends with an index.
pub(crate) fn by_last_element(elements: Vec<PathElement>) -> Result<ElementPath, ValuePath> {
    match elements.last() {
        Some(PathElement::Index(_)) => Ok(ElementPath(elements.into())),
        None | Some(PathElement::Key(_)) => Err(ValuePath(elements.into())),
    }
}

fn index_at_mut(elements: &mut [PathElement], position: usize) -> Option<&mut u32> {
    match elements.get_mut(position) {
        Some(PathElement::Index(i)) => Some(i),
        _ => None,
    }
}

impl Deref for Path {
    type Target = [PathElement];
    fn deref(&self) -> &[PathElement] {
        &self.0
    }
}

impl Deref for ElementPath {
    type Target = [PathElement];
    fn deref(&self) -> &[PathElement] {
        &self.0
    }
}

impl Deref for ValuePath {
    type Target = [PathElement];
    fn deref(&self) -> &[PathElement] {
        &self.0
    }
}

impl From<Vec<PathElement>> for Path {
    fn from(elements: Vec<PathElement>) -> Path {
        Path(elements)
    }
}

/// Object, field and path of a path instruction (realm-core's `PathInstruction`
/// prefix). `P` is the path shape the instruction requires.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Location<P = Path> {
    /// Class name (without the `class_` prefix).
    pub table: ByteString,
    pub object: PrimaryKey,
    pub field: ByteString,
    pub path: P,
}

/// A borrowed, shape-erased view of any path instruction's location, for code
/// (renderers, the merge engine) that treats all path instructions alike.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LocationRef<'a> {
    pub table: &'a ByteString,
    pub object: &'a PrimaryKey,
    pub field: &'a ByteString,
    pub path: &'a [PathElement],
}

impl<P: Deref<Target = [PathElement]>> Location<P> {
    /// The shape-erased view.
    pub fn view(&self) -> LocationRef<'_> {
        LocationRef {
            table: &self.table,
            object: &self.object,
            field: &self.field,
            path: &self.path,
        }
    }
}
