//! `POST /auth` (docs/original-server.md §2.4): password login and registration, and
//! refresh token → access token (with `path`) or user token (without).

use std::time::{Instant, SystemTime};

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

use super::api::{ApiState, ClientAddr, JsonBody};
use super::problem::{Problem, RealmProblem};
use crate::admin::PASSWORD_PROVIDER;
use crate::auth::{AuthError, Blocked, IssuedToken, PasswordLogin};

const PASSWORD: &str = "password";
const REALM: &str = "realm";

fn optional_string(
    body: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<String>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::invalid(
            name,
            format!("Invalid parameter '{name}'!"),
        )),
    }
}

fn required_string(body: &Map<String, Value>, name: &'static str) -> Result<String, Problem> {
    match optional_string(body, name)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Problem::missing(name)),
    }
}

fn optional_bool(body: &Map<String, Value>, name: &'static str) -> Result<Option<bool>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Problem::invalid(
            name,
            format!("Invalid parameter '{name}'!"),
        )),
    }
}

fn answer(key: &str, issued: &IssuedToken) -> Result<Json<Value>, Problem> {
    Ok(Json(json!({
        key: { "token": issued.token, "token_data": issued.token_data().map_err(Problem::from)? }
    })))
}

/// The password provider's two body forms: `{username, password, register}` or
/// the SDKs' `{data: username, user_info: {password, register}}`.
fn password_login(body: &Map<String, Value>) -> Result<PasswordLogin, Problem> {
    let app_id = optional_string(body, "app_id")?;
    let (username, fields) = if body.contains_key("username") {
        (required_string(body, "username")?, body)
    } else {
        let username = optional_string(body, "data")?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Problem::missing("username"))?;
        match body.get("user_info") {
            Some(Value::Object(info)) => (username, info),
            _ => return Err(Problem::missing(PASSWORD)),
        }
    };
    let password = optional_string(fields, PASSWORD)?.ok_or_else(|| Problem::missing(PASSWORD))?;
    Ok(PasswordLogin {
        username,
        password,
        register: optional_bool(fields, "register")?,
        app_id,
    })
}

/// 429 with `Retry-After` for an attempt a throttle refused.
fn too_many(title: &'static str) -> impl Fn(Blocked) -> Problem {
    move |blocked| {
        let seconds = blocked.retry_after.as_secs_f64().ceil() as u64;
        Problem::plain(axum::http::StatusCode::TOO_MANY_REQUESTS, title)
            .detail(format!("Try again in {seconds} seconds."))
            .retry_after(seconds.max(1))
    }
}

/// Decides whether `login` registers (`register` absent: exactly when the
/// username is unknown and registration is on), refusing an explicit
/// registration while `auth.registration.password` is off and counting every
/// registration against the client's address (docs/configuration.md).
async fn registration(
    state: &ApiState,
    login: &mut PasswordLogin,
    client: std::net::IpAddr,
) -> Result<(), Problem> {
    let open = state.api().registration.password;
    let registering = match login.register {
        Some(true) if !open => {
            return Err(Problem::realm(RealmProblem::AccessDenied)
                .title("Registration is turned off.")
                .detail("This server does not let clients register password accounts (auth.registration.password); ask an administrator for one."))
        }
        Some(register) => register,
        None if !open => false,
        None => {
            let username = login.username.clone();
            state
                .blocking(move |api| {
                    Ok(api
                        .auth
                        .store()
                        .find_by_account(PASSWORD_PROVIDER, &username)?
                        .is_none())
                })
                .await?
        }
    };
    login.register = Some(registering);
    if registering {
        state
            .api()
            .registrations
            .reserve_address(client, Instant::now())
            .map_err(too_many("Too many registrations."))?
            .keep();
    }
    Ok(())
}

pub(super) async fn post_auth(
    State(state): State<ApiState>,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let Value::Object(body) = body else {
        return Err(Problem::invalid("body", "The body must be a JSON object."));
    };
    let provider = required_string(&body, "provider")?;
    match provider.as_str() {
        PASSWORD => {
            let mut login = password_login(&body)?;
            registration(&state, &mut login, client).await?;
            let username = login.username.clone();
            let throttle = &state.api().throttle;
            // Counted before the hash runs, so parallel attempts cannot all pass.
            let reservation = throttle
                .reserve(&username, client, Instant::now())
                .map_err(too_many("Too many failed logins."))?;
            let result = state
                .blocking(move |api| Ok(api.auth.login_password(login, SystemTime::now())))
                .await?;
            match result {
                Ok(issued) => {
                    reservation.succeeded();
                    answer("refresh_token", &issued)
                }
                Err(e @ AuthError::InvalidCredentials(_)) => {
                    reservation.keep();
                    Err(e.into())
                }
                Err(e) => Err(e.into()),
            }
        }
        REALM => {
            let refresh = required_string(&body, "data")?;
            let app_id = optional_string(&body, "app_id")?;
            match optional_string(&body, "path")? {
                Some(path) => {
                    let issued = state
                        .blocking(move |api| {
                            api.auth
                                .access_for_path(&refresh, &path, app_id, SystemTime::now())
                                .map_err(Problem::from)
                        })
                        .await?;
                    answer("access_token", &issued)
                }
                None => {
                    let issued = state
                        .blocking(move |api| {
                            api.auth
                                .user_token(&refresh, app_id, SystemTime::now())
                                .map_err(Problem::from)
                        })
                        .await?;
                    answer("user_token", &issued)
                }
            }
        }
        _ => Err(Problem::invalid(
            "provider",
            format!("The provider '{provider}' is not enabled on this server."),
        )),
    }
}
