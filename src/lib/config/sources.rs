//! Reading the three sources into the raw [`Layer`]: the file (with positions),
//! the `ROS_*` environment and the flags. Problems found on the way are returned
//! with the origin they point at.

use std::path::Path;

use serde_yaml_ng::{Mapping, Value};

use super::convert::{describe, Input};
use super::finding::Position;
use super::layer::{Layer, Origin, Sourced};
use super::locate::Environment;
use super::model::Overrides;
use super::problem::{KeyHint, Problem};
use super::schema::{self, children, is_section, Key};
use super::spans::{Seg, SpanIndex};

pub type Raw = Vec<(Problem, Origin)>;

/// Reads the file's text into `layer`. Relative paths resolve against `base`, the
/// directory of the file.
pub fn file(text: &str, base: &Path, layer: &mut Layer, out: &mut Raw) -> SpanIndex {
    let index = SpanIndex::build(text);
    let mut root: Value = match serde_yaml_ng::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.push(syntax(&e, &index, text));
            return index;
        }
    };
    if root.apply_merge().is_err() {
        out.push((
            Problem::Syntax {
                detail: "a merge key (`<<`) must refer to a mapping".into(),
                colon: false,
            },
            Origin::File(None),
        ));
        return index;
    }
    match &root {
        Value::Null => {}
        Value::Mapping(map) => Walk {
            base,
            index: &index,
            layer,
            out,
        }
        .section("", &[], map),
        other => out.push((
            Problem::NotAMapping {
                section: String::new(),
                found: describe(other),
            },
            Origin::File(index.value(&[])),
        )),
    }
    index
}

fn syntax(e: &serde_yaml_ng::Error, index: &SpanIndex, text: &str) -> (Problem, Origin) {
    let raw = e.to_string();
    let detail = strip_locations(&raw);
    let at = if raw.starts_with("duplicate entry") {
        index.duplicate
    } else if raw.contains("more than one document") {
        index.document_end
    } else {
        e.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        })
    };
    let colon = detail.starts_with("mapping values are not allowed")
        && at
            .and_then(|p| text.lines().nth(p.line.saturating_sub(1)))
            .is_some_and(|line| line.contains(": :"));
    (Problem::Syntax { detail, colon }, Origin::File(at))
}

/// serde_yaml_ng appends " at line L column C" to its messages; the finding
/// carries the position separately.
fn strip_locations(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " at line ".len()..];
        let skip = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

struct Walk<'a> {
    base: &'a Path,
    index: &'a SpanIndex,
    layer: &'a mut Layer,
    out: &'a mut Raw,
}

impl Walk<'_> {
    fn section(&mut self, section: &str, segs: &[Seg], map: &Mapping) {
        for (k, v) in map {
            let name = match k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    self.out.push((
                        Problem::NonStringKey {
                            section: section.to_string(),
                            found: describe(other),
                        },
                        Origin::File(self.index.value(segs)),
                    ));
                    continue;
                }
            };
            let full = if section.is_empty() {
                name.clone()
            } else {
                format!("{section}.{name}")
            };
            let mut path = segs.to_vec();
            path.push(Seg::Key(name.clone()));
            let key = Key::from_path(&full).filter(|_| matches!(k, Value::String(_)));
            match (key, v) {
                (Some(_), Value::Null) => {}
                (Some(key), v) => {
                    let at = Origin::File(self.index.value(&path));
                    if let Err(bad) = self.layer.set(key, Input::Yaml(v), self.base, at) {
                        let mut spot = path.clone();
                        spot.extend(bad.item.map(Seg::Index));
                        self.out
                            .push((bad.problem, Origin::File(self.index.value(&spot))));
                    }
                }
                (None, Value::Mapping(inner)) if is_section(&full) => {
                    self.section(&full, &path, inner)
                }
                (None, Value::Null) if is_section(&full) => {}
                (None, other) if is_section(&full) => self.out.push((
                    Problem::NotAMapping {
                        section: full,
                        found: describe(other),
                    },
                    Origin::File(self.index.value(&path)),
                )),
                (None, _) => self.out.push((
                    Problem::UnknownKey {
                        hint: key_hint(section, &name),
                        key: full,
                    },
                    Origin::File(self.index.key(&path)),
                )),
            }
        }
    }
}

/// A similar key of the same section, else the sections where this name is a
/// key, else the list of keys the section takes.
fn key_hint(section: &str, name: &str) -> KeyHint {
    let names: Vec<&str> = children(section).iter().map(|c| c.name(section)).collect();
    let best = names
        .iter()
        .map(|n| (strsim::jaro_winkler(name, n), *n))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((score, n)) = best {
        if score >= 0.8 {
            return KeyHint::DidYouMean(n.to_string());
        }
    }
    let elsewhere: Vec<String> = Key::ALL
        .iter()
        .filter_map(|k| {
            let path = k.path();
            let (parent, last) = path.rsplit_once('.')?;
            (last == name).then(|| parent.to_string())
        })
        .collect();
    if !elsewhere.is_empty() {
        return KeyHint::BelongsUnder(elsewhere);
    }
    KeyHint::Expected(names.iter().map(|n| n.to_string()).collect())
}

/// Reads `ROS_*` variables. Only names with a `__` are candidates: `ROS_` alone is
/// a common prefix (the Robot Operating System uses it), so a single-level name
/// is left alone instead of being reported.
pub fn env(env: &Environment, cwd: &Path, layer: &mut Layer, out: &mut Raw) {
    for (name, value) in env.iter() {
        let Some(rest) = name.strip_prefix(schema::ENV_PREFIX) else {
            continue;
        };
        // `ROS_APPS` is the one top-level key: named exactly, it is ours.
        let whole = name == Key::Apps.env_name();
        if schema::RESERVED_ENV.contains(&name) || !(whole || rest.contains(schema::ENV_SEPARATOR))
        {
            continue;
        }
        let path = rest
            .split(schema::ENV_SEPARATOR)
            .map(|s| s.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(".");
        let origin = Origin::Env(name.to_string());
        let providers = Key::AuthProviders.path();
        if path == providers || path.starts_with(&format!("{providers}.")) {
            out.push((
                Problem::EnvNotSupported {
                    variable: name.to_string(),
                    key: Key::AuthProviders,
                },
                origin,
            ));
        } else if let Some(key) = Key::from_path(&path) {
            if value.is_empty() {
                continue;
            }
            if let Err(bad) = layer.set(key, Input::Text(value), cwd, origin.clone()) {
                out.push((bad.problem, origin));
            }
        } else if is_section(&path) {
            out.push((
                Problem::EnvNamesSection {
                    variable: name.to_string(),
                    section: path,
                },
                origin,
            ));
        } else {
            out.push((
                Problem::UnknownEnv {
                    variable: name.to_string(),
                    suggestion: env_suggestion(name),
                },
                origin,
            ));
        }
    }
}

fn env_suggestion(name: &str) -> Option<String> {
    Key::ALL
        .iter()
        .filter(|k| **k != Key::AuthProviders)
        .map(|k| k.env_name())
        .map(|n| (strsim::jaro_winkler(name, &n), n))
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// Reads the flags; relative paths resolve against the current directory.
pub fn flags(overrides: &Overrides, cwd: &Path, layer: &mut Layer, out: &mut Raw) {
    let paths = [
        (Key::StorageRootPath, &overrides.root),
        (Key::AuthPublicKeyPath, &overrides.public_key),
        (Key::AuthPrivateKeyPath, &overrides.private_key),
    ];
    for (key, value) in paths {
        let Some(path) = value else { continue };
        let origin = Origin::Flag(key.flag().unwrap_or_default());
        if path.as_os_str().is_empty() {
            out.push((
                Problem::WrongType {
                    key,
                    found: "an empty value".into(),
                },
                origin,
            ));
            continue;
        }
        let sourced = Some(Sourced {
            value: cwd.join(path),
            origin,
        });
        match key {
            Key::StorageRootPath => layer.root_path = sourced,
            Key::AuthPublicKeyPath => layer.public_key_path = sourced,
            _ => layer.private_key_path = sourced,
        }
    }
    let texts = [
        (Key::ProxyHttpListenAddress, &overrides.listen),
        (Key::ProxyHttpListenPort, &overrides.port),
        (Key::LoggingLevel, &overrides.log_level),
    ];
    for (key, value) in texts {
        let Some(text) = value else { continue };
        let origin = Origin::Flag(key.flag().unwrap_or_default());
        if let Err(bad) = layer.set(key, Input::Text(text), cwd, origin.clone()) {
            out.push((bad.problem, origin));
        }
    }
    for setting in &overrides.settings {
        let origin = Origin::Flag(setting.flag);
        if let Err(bad) = layer.set(
            setting.key,
            Input::Text(&setting.value),
            cwd,
            origin.clone(),
        ) {
            out.push((bad.problem, origin));
        }
    }
}
