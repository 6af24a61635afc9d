//! Checks a JSON value against a schema of `docs/openapi.yaml`: the subset of
//! OpenAPI 3.0 schemas our document uses (type, nullable, enum, required,
//! properties, additionalProperties, items, minimum, $ref). An unknown keyword fails
//! the check, so the document cannot use a rule this checker silently ignores.

use serde_json::Value;

pub struct OpenApi {
    doc: Value,
}

const KNOWN: [&str; 10] = [
    "type",
    "nullable",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minimum",
    "description",
    "$ref",
];

impl OpenApi {
    pub fn load() -> OpenApi {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.yaml");
        let text = std::fs::read_to_string(path).expect("docs/openapi.yaml");
        let doc: Value = serde_yaml_ng::from_str(&text).expect("docs/openapi.yaml parses");
        OpenApi { doc }
    }

    /// The schema of a response body, as `$ref`-free as the document allows.
    /// Panics when the document has no such response: every answer must be listed.
    pub fn response_schema(&self, path: &str, method: &str, status: &str) -> Value {
        let mut response = &self.doc["paths"][path][method]["responses"][status];
        if let Some(r) = response.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/components/responses/");
            response = &self.doc["components"]["responses"][name];
        }
        let schema = &response["content"]["application/json"]["schema"];
        assert!(
            !schema.is_null(),
            "docs/openapi.yaml has no JSON response {status} for {method} {path}"
        );
        schema.clone()
    }

    /// Whether the document lists a response without a body (such as 204).
    pub fn has_empty_response(&self, path: &str, method: &str, status: &str) -> bool {
        let response = &self.doc["paths"][path][method]["responses"][status];
        response.is_object() && response.get("content").is_none() && response.get("$ref").is_none()
    }

    /// The schema of a request body.
    pub fn request_schema(&self, path: &str, method: &str) -> Value {
        let schema = &self.doc["paths"][path][method]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert!(
            !schema.is_null(),
            "docs/openapi.yaml has no request body for {method} {path}"
        );
        schema.clone()
    }

    /// Every (path, method) the document lists, paths starting with `prefix`.
    pub fn operations(&self, prefix: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (path, item) in self.doc["paths"].as_object().into_iter().flatten() {
            if !path.starts_with(prefix) {
                continue;
            }
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
                if ["get", "put", "post", "patch", "delete"].contains(&method.as_str()) {
                    out.push((path.clone(), method.clone()));
                }
            }
        }
        out
    }

    /// Checks `value` against the response schema and panics with every error.
    pub fn assert_response(&self, path: &str, method: &str, status: u16, value: &Value) {
        let schema = self.response_schema(path, method, &status.to_string());
        let errors = self.check(&schema, value);
        assert!(
            errors.is_empty(),
            "{method} {path} {status} does not match docs/openapi.yaml: {errors:?}\n{value:#}"
        );
    }

    /// Checks a request body against the document, so tests send what it promises.
    pub fn assert_request(&self, path: &str, method: &str, value: &Value) {
        let schema = self.request_schema(path, method);
        let errors = self.check(&schema, value);
        assert!(errors.is_empty(), "request {method} {path}: {errors:?}");
    }

    /// Every error found, each naming the JSON path; empty when `value` conforms.
    pub fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.walk(schema, value, "$", &mut errors);
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                &self.doc["components"]["schemas"][name]
            }
            None => schema,
        }
    }

    fn walk(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            errors.push(format!("{at}: schema is not an object"));
            return;
        };
        for key in obj.keys() {
            if !KNOWN.contains(&key.as_str()) {
                errors.push(format!(
                    "{at}: schema keyword {key} is not supported by the checker"
                ));
            }
        }
        if value.is_null() && obj.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        let ty = obj.get("type").and_then(Value::as_str).unwrap_or("");
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            _ => {
                errors.push(format!("{at}: schema has no type"));
                return;
            }
        };
        if !ok {
            errors.push(format!("{at}: expected {ty}, found {value}"));
            return;
        }
        if let Some(choices) = obj.get("enum").and_then(Value::as_array) {
            if !choices.contains(value) {
                errors.push(format!("{at}: {value} is not one of {choices:?}"));
            }
        }
        if let (Some(min), Some(v)) = (obj.get("minimum").and_then(Value::as_f64), value.as_f64()) {
            if v < min {
                errors.push(format!("{at}: {v} is below the minimum {min}"));
            }
        }
        if let Some(items) = obj.get("items") {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                self.walk(items, item, &format!("{at}[{i}]"), errors);
            }
        }
        if let Some(map) = value.as_object() {
            let props = obj.get("properties").and_then(Value::as_object);
            for name in obj
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(name) = name.as_str() {
                    if !map.contains_key(name) {
                        errors.push(format!("{at}: missing required property {name}"));
                    }
                }
            }
            for (name, v) in map {
                match props.and_then(|p| p.get(name)) {
                    Some(s) => self.walk(s, v, &format!("{at}.{name}"), errors),
                    None if obj.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        errors.push(format!("{at}: property {name} is not in the document"))
                    }
                    None => {}
                }
            }
        }
    }
}
