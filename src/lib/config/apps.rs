//! `apps`: the Realm apps whose SDK clients log in through the app client API
//! (docs/app-api.md). Each entry is read whole into a typed [`App`]: an unknown
//! field, a bad id or a provider without its key is reported against the entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_yaml_ng::Value;

use super::convert::{describe, Bad, Converted, Input};
use super::problem::Problem;
use super::schema::Key;

/// The provider names of the app API, as SDKs put them in the login path.
pub const ANON_PROVIDER: &str = "anon-user";
pub const USERPASS_PROVIDER: &str = "local-userpass";
pub const CUSTOM_TOKEN_PROVIDER: &str = "custom-token";

/// One app: an id SDKs are configured with, and how its users log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// `[A-Za-z0-9._-]+`: SDKs insert it in URLs without encoding it.
    pub id: String,
    /// The public base URL (`https://host[:port]`, no path) the location answer
    /// names; `None` = derived from each request (Host, the listener's scheme and,
    /// from a trusted proxy, `X-Forwarded-Proto`/`-Host`).
    pub base_url: Option<String>,
    pub anonymous: bool,
    pub userpass: Option<Userpass>,
    pub custom_token: Option<CustomToken>,
    /// Who may read and write shared partitions: each one's default entry.
    pub partitions: Vec<SharedPartition>,
}

/// A partition (string value) everybody gets the same rights on, set as the
/// Realm's default permission entry at every start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPartition {
    pub value: String,
    pub read: bool,
    pub write: bool,
}

impl App {
    /// The providers enabled, by their API names.
    pub fn provider_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.anonymous {
            names.push(ANON_PROVIDER);
        }
        if self.userpass.is_some() {
            names.push(USERPASS_PROVIDER);
        }
        if self.custom_token.is_some() {
            names.push(CUSTOM_TOKEN_PROVIDER);
        }
        names
    }
}

/// `local-userpass`: the password accounts every other door of the server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Userpass {
    /// Whether `register` creates accounts (confirmed at once); without it only
    /// an administrator (`ros user add`) does.
    pub registration: bool,
}

/// `custom-token`: JWTs an identity service of the app's team signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomToken {
    pub key: CustomTokenKey,
    /// Required `aud` (one of them, when the token lists several).
    pub audience: Option<String>,
    /// The claim that names the user at the identity service (default `sub`).
    pub user_id_claim: String,
    /// Profile `data` field ← claim, copied at each login (string claims only).
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomTokenKey {
    /// A PEM RSA public key (RS256).
    PublicKey(PathBuf),
    /// A JWKS document (RSA keys, chosen by `kid`).
    Jwks(PathBuf),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    id: String,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    providers: Option<RawProviders>,
    #[serde(default)]
    partitions: Vec<RawPartition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartition {
    value: String,
    #[serde(default)]
    read: bool,
    #[serde(default)]
    write: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProviders {
    #[serde(rename = "anon-user", default)]
    anon_user: Option<Toggle<Empty>>,
    #[serde(rename = "local-userpass", default)]
    local_userpass: Option<Toggle<RawUserpass>>,
    #[serde(rename = "custom-token", default)]
    custom_token: Option<RawCustomToken>,
}

/// A provider given as `true`/`false` or as its options.
#[derive(Deserialize)]
#[serde(untagged)]
enum Toggle<T> {
    On(bool),
    With(T),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Empty {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUserpass {
    #[serde(default = "yes")]
    registration: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustomToken {
    #[serde(default)]
    public_key_path: Option<String>,
    #[serde(default)]
    jwks_path: Option<String>,
    #[serde(default)]
    audience: Option<String>,
    #[serde(default)]
    user_id_claim: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

fn invalid(index: usize, detail: impl Into<String>) -> Bad {
    Bad {
        problem: Problem::InvalidApp {
            index,
            detail: detail.into(),
        },
        item: Some(index),
    }
}

/// Whether `id` may be an app id.
pub fn valid_app_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A base URL as the location answer gives it: `http(s)://host[:port]`, no path.
fn check_base_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url {url:?} must start with http:// or https://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(format!(
            "base_url {url:?} must be scheme://host[:port] without a path"
        ));
    }
    Ok(trimmed.to_string())
}

fn entry(index: usize, value: &Value, base: &Path) -> Converted<App> {
    if !matches!(value, Value::Mapping(_)) {
        return Err(invalid(
            index,
            format!(
                "an app is a mapping with an `id`; found {}",
                describe(value)
            ),
        ));
    }
    let raw: RawApp =
        serde_yaml_ng::from_value(value.clone()).map_err(|e| invalid(index, e.to_string()))?;
    if !valid_app_id(&raw.id) {
        return Err(invalid(
            index,
            format!(
                "the id {:?} must be 1 to 128 of the characters A-Z a-z 0-9 . _ -",
                raw.id
            ),
        ));
    }
    let base_url = match raw.base_url.as_deref() {
        None | Some("") => None,
        Some(url) => Some(check_base_url(url).map_err(|e| invalid(index, e))?),
    };
    let providers = raw.providers.unwrap_or(RawProviders {
        anon_user: None,
        local_userpass: Some(Toggle::On(true)),
        custom_token: None,
    });
    let anonymous = matches!(
        providers.anon_user,
        Some(Toggle::On(true) | Toggle::With(_))
    );
    let userpass = match providers.local_userpass {
        None | Some(Toggle::On(false)) => None,
        Some(Toggle::On(true)) => Some(Userpass { registration: true }),
        Some(Toggle::With(raw)) => Some(Userpass {
            registration: raw.registration,
        }),
    };
    let custom_token = match providers.custom_token {
        None => None,
        Some(raw) => {
            let key = match (raw.public_key_path, raw.jwks_path) {
                (Some(p), None) => CustomTokenKey::PublicKey(base.join(p)),
                (None, Some(p)) => CustomTokenKey::Jwks(base.join(p)),
                _ => {
                    return Err(invalid(
                        index,
                        "custom-token needs exactly one of public_key_path and jwks_path",
                    ))
                }
            };
            Some(CustomToken {
                key,
                audience: raw.audience.filter(|a| !a.is_empty()),
                user_id_claim: raw
                    .user_id_claim
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| "sub".to_string()),
                metadata: raw.metadata,
            })
        }
    };
    let mut partitions = Vec::new();
    for p in raw.partitions {
        if p.value.is_empty() {
            return Err(invalid(index, "a partition `value` must not be empty"));
        }
        if p.write && !p.read {
            return Err(invalid(
                index,
                format!("partition {:?}: write needs read as well", p.value),
            ));
        }
        partitions.push(SharedPartition {
            value: p.value,
            read: p.read,
            write: p.write,
        });
    }
    Ok(App {
        id: raw.id,
        base_url,
        anonymous,
        userpass,
        custom_token,
        partitions,
    })
}

/// `apps` from the file (a list of mappings) or from `ROS_APPS` (the same list as
/// JSON or YAML flow text). Ids must be unique.
pub fn apps(key: Key, input: Input, base: &Path) -> Converted<Vec<App>> {
    let parsed;
    let value = match input {
        Input::Yaml(v) => v,
        Input::Text(t) => {
            parsed = serde_yaml_ng::from_str::<Value>(t).map_err(|e| {
                Bad::from(Problem::WrongType {
                    key,
                    found: format!("text that is not a YAML or JSON list ({e})"),
                })
            })?;
            &parsed
        }
    };
    let Value::Sequence(items) = value else {
        return Err(Problem::WrongType {
            key,
            found: describe(value),
        }
        .into());
    };
    let mut out: Vec<App> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let app = entry(index, item, base)?;
        if out.iter().any(|a| a.id == app.id) {
            return Err(invalid(index, format!("the id {:?} is used twice", app.id)));
        }
        out.push(app);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Converted<Vec<App>> {
        let value: Value = serde_yaml_ng::from_str(yaml).unwrap();
        apps(Key::Apps, Input::Yaml(&value), Path::new("/etc/ros"))
    }

    #[test]
    fn an_app_with_only_an_id_has_password_logins_with_registration() {
        let apps = read("[{id: myapp-abcde}]").unwrap();
        assert_eq!(apps[0].id, "myapp-abcde");
        assert!(!apps[0].anonymous);
        assert_eq!(apps[0].userpass, Some(Userpass { registration: true }));
        assert_eq!(apps[0].custom_token, None);
    }

    #[test]
    fn providers_and_custom_token_options_are_read() {
        let apps = read(
            "- id: a\n  base_url: https://realm.example.com/\n  providers:\n    anon-user: true\n    \
             local-userpass: {registration: false}\n    custom-token:\n      jwks_path: jwks.json\n      \
             audience: aud\n      metadata: {email: mail}\n",
        )
        .unwrap();
        let app = &apps[0];
        assert_eq!(app.base_url.as_deref(), Some("https://realm.example.com"));
        assert!(app.anonymous);
        assert_eq!(
            app.userpass,
            Some(Userpass {
                registration: false
            })
        );
        let custom = app.custom_token.as_ref().unwrap();
        assert_eq!(
            custom.key,
            CustomTokenKey::Jwks(PathBuf::from("/etc/ros/jwks.json"))
        );
        assert_eq!(custom.user_id_claim, "sub");
        assert_eq!(
            custom.metadata.get("email").map(String::as_str),
            Some("mail")
        );
    }

    #[test]
    fn bad_entries_name_the_entry_and_the_fault() {
        for (yaml, needle) in [
            ("[{id: 'a b'}]", "must be 1 to 128"),
            ("[{id: a}, {id: a}]", "used twice"),
            ("[{id: a, colour: red}]", "unknown field `colour`"),
            ("[{id: a, base_url: 'realm.example.com'}]", "http://"),
            ("[{id: a, base_url: 'https://h/x'}]", "without a path"),
            (
                "[{id: a, providers: {custom-token: {audience: x}}}]",
                "exactly one",
            ),
            (
                "[{id: a, providers: {oauth2-google: true}}]",
                "unknown field",
            ),
            ("[3]", "a mapping"),
            (
                "[{id: a, partitions: [{value: p, write: true}]}]",
                "write needs read",
            ),
            ("[{id: a, partitions: [{value: ''}]}]", "must not be empty"),
        ] {
            let bad = read(yaml).unwrap_err();
            let Problem::InvalidApp { detail, .. } = &bad.problem else {
                panic!("{yaml}: {:?}", bad.problem)
            };
            assert!(detail.contains(needle), "{yaml}: {detail}");
        }
        let text = apps(Key::Apps, Input::Text("[{\"id\":\"x\"}]"), Path::new("/"));
        assert_eq!(text.unwrap()[0].id, "x");
    }
}
