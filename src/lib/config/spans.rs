//! Where each key and value of the file sits. serde_yaml_ng reads the values but
//! forgets positions, so the same text is run once more through saphyr-parser's
//! event stream to note the line and column of every key and value by path.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

use super::finding::Position;

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy)]
struct Spot {
    key: Option<Position>,
    value: Position,
}

/// Positions by path. Empty when the parser gives up: findings then carry no line.
#[derive(Debug, Default)]
pub struct SpanIndex {
    spots: HashMap<Vec<Seg>, Spot>,
    /// The key of the first repeated key in a mapping (serde_yaml_ng points at the
    /// start of the mapping instead).
    pub duplicate: Option<Position>,
    /// Where the first document ends, which is where a second one would start.
    pub document_end: Option<Position>,
}

enum Frame {
    Map {
        path: Vec<Seg>,
        /// `Some(None)`: a value is due for a key that is not a plain name.
        pending: Option<Option<(String, Position)>>,
    },
    Seq {
        path: Vec<Seg>,
        next: usize,
    },
    /// Inside a complex key or its value: nothing there has a path.
    Opaque {
        depth: usize,
    },
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

impl SpanIndex {
    pub fn build(text: &str) -> SpanIndex {
        let mut index = SpanIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else {
                return index;
            };
            let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            match event {
                Event::DocumentEnd => {
                    index.document_end = Some(position(&span));
                    break;
                }
                Event::MappingEnd | Event::SequenceEnd => match stack.last_mut() {
                    Some(Frame::Opaque { depth }) if *depth > 1 => *depth -= 1,
                    _ => {
                        stack.pop();
                    }
                },
                Event::Scalar(..)
                | Event::Alias(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..) => {
                    index.node(&mut stack, &event, position(&span), opens)
                }
                _ => {}
            }
        }
        index
    }

    fn node(&mut self, stack: &mut Vec<Frame>, event: &Event, at: Position, opens: bool) {
        let child = |path: Vec<Seg>| -> Frame {
            if matches!(event, Event::MappingStart(..)) {
                Frame::Map {
                    path,
                    pending: None,
                }
            } else {
                Frame::Seq { path, next: 0 }
            }
        };
        let path: Option<Vec<Seg>> = match stack.last_mut() {
            None => {
                self.spots.insert(
                    Vec::new(),
                    Spot {
                        key: None,
                        value: at,
                    },
                );
                Some(Vec::new())
            }
            Some(Frame::Opaque { depth }) => {
                if opens {
                    *depth += 1;
                }
                return;
            }
            Some(Frame::Seq { path, next }) => {
                let mut p = path.clone();
                p.push(Seg::Index(*next));
                *next += 1;
                self.spots.insert(
                    p.clone(),
                    Spot {
                        key: None,
                        value: at,
                    },
                );
                Some(p)
            }
            Some(Frame::Map { path, pending }) => match pending.take() {
                None => {
                    *pending = Some(match event {
                        Event::Scalar(name, ..) => Some((name.to_string(), at)),
                        _ => None,
                    });
                    if opens {
                        stack.push(Frame::Opaque { depth: 1 });
                    }
                    return;
                }
                Some(None) => None,
                Some(Some((name, key_at))) => {
                    let mut p = path.clone();
                    p.push(Seg::Key(name));
                    if self.spots.contains_key(&p) && self.duplicate.is_none() {
                        self.duplicate = Some(key_at);
                    }
                    self.spots.insert(
                        p.clone(),
                        Spot {
                            key: Some(key_at),
                            value: at,
                        },
                    );
                    Some(p)
                }
            },
        };
        if opens {
            stack.push(match path {
                Some(p) => child(p),
                None => Frame::Opaque { depth: 1 },
            });
        }
    }

    /// The value at `path`, or failing that the key of its nearest ancestor present
    /// in the file (a merged or missing key is reported at its section).
    pub fn value(&self, path: &[Seg]) -> Option<Position> {
        if let Some(spot) = self.spots.get(path) {
            return Some(spot.value);
        }
        self.ancestor(path)
    }

    /// The key at `path` (falls back like [`SpanIndex::value`]).
    pub fn key(&self, path: &[Seg]) -> Option<Position> {
        match self.spots.get(path) {
            Some(spot) => spot.key.or(Some(spot.value)),
            None => self.ancestor(path),
        }
    }

    fn ancestor(&self, path: &[Seg]) -> Option<Position> {
        (1..path.len()).rev().find_map(|n| {
            self.spots
                .get(&path[..n])
                .and_then(|spot| spot.key.or(Some(spot.value)))
        })
    }
}

pub fn key_path(dotted: &str) -> Vec<Seg> {
    dotted.split('.').map(|s| Seg::Key(s.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn keys_and_values_are_found_by_path() {
        let text = "network:\n  http:\n    listen_port: 8080\n  sync: {listen_port: 1}\n\
                    auth:\n  previous_public_key_paths:\n    - a.pub\n    - b.pub\n";
        let index = SpanIndex::build(text);
        let port = key_path("network.http.listen_port");
        assert_eq!(index.key(&port), pos(3, 5));
        assert_eq!(index.value(&port), pos(3, 18));
        assert_eq!(
            index.value(&key_path("network.sync.listen_port")),
            pos(4, 23)
        );
        let mut item = key_path("auth.previous_public_key_paths");
        item.push(Seg::Index(1));
        assert_eq!(index.value(&item), pos(8, 7));
        assert_eq!(
            index.value(&key_path("network.http.listen_address")),
            pos(2, 3)
        );
        assert_eq!(index.value(&key_path("logging.level")), None);
    }

    #[test]
    fn complex_keys_do_not_confuse_the_walk() {
        let text = "? [a, b]\n: {x: 1}\nlogging:\n  level: info\n";
        let index = SpanIndex::build(text);
        assert_eq!(index.value(&key_path("logging.level")), pos(4, 10));
    }
}
