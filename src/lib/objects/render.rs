//! The state as a client application sees it, in the JSON form of the captured
//! vectors' `final-state.json` (described in `vectors/README.md`).

use serde_json::{json, Map, Value as Json};

use super::path::Classes;
use super::schema::Class;
use super::state::State;
use super::value::{Object, ObjectKey, Value};
use crate::changeset::render::number::write_g17;
use crate::changeset::{ByteString, ColumnType, Link, PrimaryKey};

/// Renders `state` the way `final-state.json` shows a Realm: one key per
/// top-level class (class names, without `class_`), each an array of its objects
/// sorted by primary key; in an object every property (and the primary key) by
/// name; embedded objects inline; a link as its target's primary key, or `null`
/// when the target does not exist; a link held in a Mixed value as
/// `{"$link":{"table":"class_T","pk":…}}`; lists in order; sets sorted by their
/// printed form; dictionaries by key.
///
/// Links to objects that do not exist (tombstones) are what realm-core calls
/// unresolved: lists and sets leave them out, single values and dictionary
/// entries show `null`, exactly as the collection API hides them from an app.
/// Values the vectors never show get forms in the same style: a GlobalKey as
/// `{"$key":[hi,lo]}`.
pub fn final_state(state: &State) -> Json {
    let mut out = Map::new();
    for (name, class) in &state.classes {
        let Some(objects) = state.objects.get(name) else {
            continue;
        };
        let rendered = objects
            .iter()
            .map(|(key, object)| render_object(state, class, Some(key), object))
            .collect();
        out.insert(text(name), Json::Array(rendered));
    }
    Json::Object(out)
}

fn render_object(state: &State, class: &Class, key: Option<&ObjectKey>, object: &Object) -> Json {
    let mut fields = Map::new();
    if let (Some(pk), Some(key)) = (class.primary_key(), key) {
        fields.insert(text(&pk.field), primary_key(&key.0));
    }
    for (name, value) in &object.fields {
        let Some(property) = class.properties.get(name) else {
            continue;
        };
        let context = Context::of(&state.classes, &property.column_type);
        fields.insert(text(name), render(state, context, value));
    }
    Json::Object(fields)
}

/// How values of one place print: links as bare keys (link properties) or as
/// `$link` objects (Mixed), embedded objects with their class.
#[derive(Clone, Copy)]
enum Context<'s> {
    Plain,
    Mixed,
    Links,
    Embedded(&'s Class),
}

impl<'s> Context<'s> {
    fn of(classes: &'s Classes, column_type: &ColumnType) -> Context<'s> {
        match column_type {
            ColumnType::Mixed => Context::Mixed,
            ColumnType::Link { target } if target.is_empty() => Context::Mixed,
            ColumnType::Link { target } => match classes.get(target) {
                Some(class) if class.is_embedded() => Context::Embedded(class),
                _ => Context::Links,
            },
            _ => Context::Plain,
        }
    }
}

fn render(state: &State, context: Context<'_>, value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Int(v) => json!(v),
        Value::Bool(v) => json!(v),
        Value::String(s) => Json::String(text(s)),
        Value::Binary(b) => json!({ "$binary": hex::encode(b.as_bytes()) }),
        Value::Timestamp(t) => json!({ "$date": [t.seconds(), t.nanoseconds()] }),
        Value::Float(f) => number(f64::from(*f)),
        Value::Double(d) => number(*d),
        Value::Decimal(d) => json!({ "$decimal": d.to_string() }),
        Value::ObjectId(id) => json!({ "$oid": id.to_string() }),
        Value::Uuid(id) => json!({ "$uuid": id.to_string() }),
        Value::Link(link) if !resolves(state, link) => Json::Null,
        Value::Link(link) => match context {
            Context::Mixed => json!({
                "$link": { "table": format!("class_{}", text(&link.table)), "pk": primary_key(&link.key) }
            }),
            _ => primary_key(&link.key),
        },
        Value::Object(object) => match context {
            Context::Embedded(class) => render_object(state, class, None, object),
            _ => Json::Null,
        },
        Value::List(items) => Json::Array(
            items
                .iter()
                .filter(|v| visible(state, v))
                .map(|v| render(state, context, v))
                .collect(),
        ),
        Value::Set(items) => {
            let mut printed: Vec<(String, Json)> = items
                .iter()
                .filter(|v| visible(state, v))
                .map(|v| render(state, context, v))
                .map(|j| (j.to_string(), j))
                .collect();
            printed.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Array(printed.into_iter().map(|(_, j)| j).collect())
        }
        Value::Dictionary(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (text(k), render(state, context, v)))
                .collect(),
        ),
    }
}

/// Whether a collection element is shown: unresolved links are not.
fn visible(state: &State, value: &Value) -> bool {
    match value {
        Value::Link(link) => resolves(state, link),
        _ => true,
    }
}

fn resolves(state: &State, link: &Link) -> bool {
    state
        .objects
        .get(&link.table)
        .is_some_and(|objects| objects.contains_key(&ObjectKey(link.key.clone())))
}

fn primary_key(key: &PrimaryKey) -> Json {
    match key {
        PrimaryKey::Null => Json::Null,
        PrimaryKey::Int(v) => json!(v),
        PrimaryKey::String(s) => Json::String(text(s)),
        PrimaryKey::ObjectId(id) => json!({ "$oid": id.to_string() }),
        PrimaryKey::Uuid(id) => json!({ "$uuid": id.to_string() }),
        PrimaryKey::GlobalKey(k) => json!({ "$key": [k.hi, k.lo] }),
    }
}

/// A float as C's `%.17g` prints it, as a JSON number; NaN and the infinities
/// as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
fn number(v: f64) -> Json {
    if v.is_nan() {
        return json!("NaN");
    }
    if v.is_infinite() {
        return json!(if v > 0.0 { "Infinity" } else { "-Infinity" });
    }
    let mut out = String::new();
    write_g17(&mut out, v);
    serde_json::from_str(&out).unwrap_or(Json::String(out))
}

fn text(s: &ByteString) -> String {
    String::from_utf8_lossy(s.as_bytes()).into_owned()
}
