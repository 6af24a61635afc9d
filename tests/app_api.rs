//! The app client API as a current Realm SDK drives it (docs/app-api.md): the
//! worked transcript's requests (location, register, login, profile, sync
//! upgrade with `baas_at`, refresh, logout) through the proxy over HTTP, over
//! HTTPS behind a URL prefix, and behind a trusted reverse proxy; then every
//! refusal with its status and error JSON, and the sync endpoint refusing the
//! stale access token of each dead login.

use crate::app_support::{self, jwt_payload, refusal, Login, Sdk};
use crate::support;

use std::collections::BTreeSet;

use base64::Engine as _;
use ros::client::sync::{ConnectError, Endpoint, RealmClient, TlsOptions, Wire};
use ros::protocol::SessionIdent;
use serde_json::{json, Value};
use support::http::{serve_site, Api};
use support::server::Running;
use support::sync_server::runtime;
use support::{init_site, workload};

const APP: &str = "myapp-abcde";

fn apps_env(extra: &str) -> String {
    format!(
        r#"[{{"id":"{APP}","providers":{{"anon-user":true,"local-userpass":true{extra}}}}},
            {{"id":"closed-app","providers":{{"local-userpass":{{"registration":false}}}}}}]"#
    )
}

/// The proxy's HTTP address as a base URL.
fn http_base(serving: &Running) -> String {
    format!(
        "http://{}",
        serving.listening.proxy_http.expect("the HTTP proxy is on")
    )
}

/// Opens the partition named by the user's id with the sync client, uploads a
/// task, and waits until the server has it: the access token is accepted at
/// the upgrade and the user owns their partition.
fn sync_own_partition(sync_route: &str, login: &Login, ca_pem: Option<&str>) {
    let mut endpoint = Endpoint::new(sync_route).with_token(&login.access);
    endpoint.tls = TlsOptions {
        ca_pem: ca_pem.map(|p| p.as_bytes().to_vec()),
        insecure: false,
    };
    runtime().block_on(async {
        let mut wire = Wire::connect(&endpoint).await.expect("upgrade accepted");
        let mut client = RealmClient::new(format!("\"{}\"", login.user_id));
        client.commit(workload::schema()).unwrap();
        client
            .commit(ros::changeset::Changeset::new(vec![workload::create(1)]))
            .unwrap();
        client
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .expect("the user may open their own partition");
        client.sync_until_idle(&mut wire).await.unwrap();
        assert!(client.is_uploaded());
    });
}

/// The upgrade with `token` is refused as unauthorized: HTTP 401, or (protocol
/// 8 and later) 101 and Close 4001 at once.
fn assert_sync_refuses(sync_route: &str, token: &str) {
    let endpoint = Endpoint::new(sync_route).with_token(token);
    runtime().block_on(async {
        match Wire::connect(&endpoint).await {
            Err(ConnectError::ClosedAfterUpgrade { code: 4001, .. })
            | Err(ConnectError::Refused { status: 401, .. }) => {}
            Err(other) => panic!("expected 401/4001, got {other}"),
            Ok(_) => panic!("the stale token was accepted at the upgrade"),
        }
    });
}

/// The transcript's sequence; `hostname` is what the location must answer.
/// Returns the id of the anonymous user it logged in and out.
fn transcript(sdk: &Sdk, hostname: &str, ca_pem: Option<&str>) -> String {
    // (1) Location: all five fields, pointing at this server as reached.
    let location = sdk.location();
    assert_eq!(location.status, 200, "{:#}", location.body);
    let ws = hostname
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    assert_eq!(location.body["hostname"], hostname);
    assert_eq!(location.body["ws_hostname"], ws.as_str());
    let sync_route = format!("{ws}/api/client/v2.0/app/{}/realm-sync", sdk.app);
    assert_eq!(location.body["sync_route"], sync_route.as_str());
    assert_eq!(location.body["deployment_model"], "GLOBAL");
    assert!(location.body["location"].is_string());

    // (2) Register, and again: 409 AccountNameInUse.
    let registered = sdk.register("ann@example.com", "s3cret!");
    assert_eq!(registered.status, 201, "{:#}", registered.body);
    assert_eq!(registered.body, json!({}));
    let again = sdk.register("ann@example.com", "s3cret!");
    assert_eq!(refusal(&again), (409, "AccountNameInUse"));

    // (3) Login and (4) profile.
    let login = sdk.password_login("ann@example.com", "s3cret!");
    let access = jwt_payload(&login.access);
    assert_eq!(access["typ"], "access");
    assert_eq!(access["appId"], sdk.app.as_str());
    assert_eq!(jwt_payload(&login.refresh)["typ"], "refresh");
    let profile = sdk.profile(&login.access);
    assert_eq!(profile.status, 200, "{:#}", profile.body);
    assert_eq!(profile.body["user_id"], login.user_id.as_str());
    assert_eq!(profile.body["data"]["email"], "ann@example.com");
    let identities = profile.body["identities"].as_array().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0]["provider_type"], "local-userpass");
    assert!(identities[0]["id"].is_string());

    // (5) Sync at the route the location named, with `baas_at`.
    sync_own_partition(&sync_route, &login, ca_pem);

    // (6) Refresh: a new access token for the same session, that works.
    let refreshed = sdk.refresh(&login.refresh);
    assert_eq!(refreshed.status, 201, "{:#}", refreshed.body);
    let new_access = refreshed.body["access_token"].as_str().unwrap();
    let payload = jwt_payload(new_access);
    assert_eq!(payload["sub"], login.user_id.as_str());
    assert_eq!(payload["sid"], access["sid"]);
    assert_eq!(sdk.profile(new_access).status, 200);

    // Anonymous: exactly one `anon-user` identity, empty data.
    let anon = sdk.login("anon-user", json!({}));
    let anon_profile = sdk.profile(&anon.access);
    assert_eq!(anon_profile.body["identities"].as_array().unwrap().len(), 1);
    assert_eq!(
        anon_profile.body["identities"][0]["provider_type"],
        "anon-user"
    );
    assert_eq!(anon_profile.body["data"], json!({}));

    // An anonymous user's logout removes the user: it could never log in again.
    assert_eq!(sdk.logout(&anon.refresh).status, 204);
    assert_eq!(
        refusal(&sdk.refresh(&anon.refresh)),
        (401, "InvalidSession")
    );

    // (7) Logout: 204; the session's tokens are dead everywhere.
    let out = sdk.logout(&login.refresh);
    assert_eq!(out.status, 204);
    assert_eq!(
        refusal(&sdk.refresh(&login.refresh)),
        (401, "InvalidSession")
    );
    assert_eq!(refusal(&sdk.profile(new_access)), (401, "InvalidSession"));
    anon.user_id
}

/// A new site serving the test apps; the proxy's base URL and an SDK of `APP`.
fn serve_apps() -> (tempfile::TempDir, std::path::PathBuf, Running, String, Sdk) {
    let (tmp, site) = init_site();
    let apps = apps_env("");
    let serving = serve_site(&site, &[("ROS_APPS", &apps)]);
    let base = http_base(&serving);
    let sdk = Sdk::new(Api::new(base.clone()), "", APP);
    (tmp, site, serving, base, sdk)
}

#[test]
fn the_worked_transcript_through_the_http_proxy() {
    let (_tmp, site, serving, base, sdk) = serve_apps();
    let anonymous = transcript(&sdk, &base, None);
    // The admin API (and `ros user show`) lists the user's open sessions: the
    // transcript's login was logged out, a new one is listed until it ends.
    let admin = ros::token::read_admin_token(&site.join("data"))
        .unwrap()
        .unwrap();
    let sessions = |api: &Api| {
        let route = "/api/admin/v1/users/{user}";
        let path = "/api/admin/v1/users/ann@example.com";
        let answer = api.call("GET", route, path, Some(&admin), None);
        assert_eq!(answer.status, 200, "{:#}", answer.body);
        let list = answer.body["sessions"].as_array().unwrap().clone();
        list.iter()
            .map(|s| s["session_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(sessions(&sdk.api), Vec::<String>::new());
    let route = "/api/admin/v1/users/{user}";
    let gone = format!("/api/admin/v1/users/{anonymous}");
    let answer = sdk.api.call("GET", route, &gone, Some(&admin), None);
    assert_eq!(
        answer.status, 404,
        "the anonymous user was removed at logout"
    );
    let login = sdk.password_login("ann@example.com", "s3cret!");
    let sid = jwt_payload(&login.access)["sid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sessions(&sdk.api), [sid]);
    assert_eq!(sdk.logout(&login.refresh).status, 204);
    assert_eq!(sessions(&sdk.api), Vec::<String>::new());
    // The same user over the original's `/auth`: one user store.
    let body =
        json!({"provider": "password", "username": "ann@example.com", "password": "s3cret!"});
    let answer = sdk.api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    assert!(serving.stop().success());
}

#[test]
fn the_worked_transcript_over_https_with_a_url_prefix() {
    let (tmp, site) = init_site();
    let tls = support::tls::ca_signed(&tmp.path().join("tls"));
    let apps = apps_env("");
    let cert = tls.cert_path.to_str().unwrap();
    let key = tls.key_path.to_str().unwrap();
    let serving = serve_site(
        &site,
        &[
            ("ROS_APPS", &apps),
            ("ROS_NETWORK__URL_PREFIX", "/my/prefix"),
            ("ROS_PROXY__HTTPS__ENABLE", "true"),
            ("ROS_PROXY__HTTPS__LISTEN_ADDRESS", "127.0.0.1"),
            ("ROS_PROXY__HTTPS__LISTEN_PORT", "0"),
            ("ROS_PROXY__HTTPS__CERTIFICATE_PATH", cert),
            ("ROS_PROXY__HTTPS__PRIVATE_KEY_PATH", key),
        ],
    );
    let port = serving.listening.proxy_https.expect("HTTPS proxy").port();
    let base = format!("https://localhost:{port}");
    let client = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(tls.ca_pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let api = Api::with_client(base.clone(), client);
    let sdk = Sdk::new(api, "/my/prefix", APP);
    let _anonymous = transcript(&sdk, &format!("{base}/my/prefix"), Some(&tls.ca_pem));
    // Without the prefix there is no app API.
    let bare = Sdk::new(Api::new(http_base(&serving)), "", APP);
    let answer = bare
        .api
        .client()
        .get(format!(
            "{}/api/client/v2.0/app/{APP}/location",
            bare.api.base
        ))
        .send()
        .unwrap();
    assert_eq!(answer.status(), 404);
    assert!(serving.stop().success());
}

#[test]
fn behind_a_trusted_reverse_proxy_the_location_names_the_public_address() {
    let (_tmp, site) = init_site();
    let apps = apps_env("");
    // The location answer to a request carrying a reverse proxy's headers.
    let forwarded = |serving: &Running| {
        let sdk = Sdk::new(Api::new(http_base(serving)), "", APP);
        let path = format!("/api/client/v2.0/app/{APP}/location");
        let request = sdk
            .api
            .client()
            .get(format!("{}{path}", sdk.api.base))
            .header("X-Forwarded-Proto", "https")
            .header("X-Forwarded-Host", "realm.example.com");
        sdk.api.send(request, app_support::LOCATION, "get").body
    };
    let trusted = [
        ("ROS_APPS", apps.as_str()),
        ("ROS_NETWORK__TRUSTED_PROXIES", "127.0.0.1"),
    ];
    let serving = serve_site(&site, &trusted);
    let answer = forwarded(&serving);
    assert_eq!(answer["hostname"], "https://realm.example.com");
    assert_eq!(
        answer["sync_route"],
        format!("wss://realm.example.com/api/client/v2.0/app/{APP}/realm-sync").as_str()
    );
    drop(serving);

    // From an untrusted peer the same headers are ignored.
    let serving = serve_site(&site, &trusted[..1]);
    assert_eq!(
        forwarded(&serving)["hostname"],
        http_base(&serving).as_str()
    );
    assert!(serving.stop().success());
}

/// An RS256 JWT signed with `key`.
fn custom_jwt(key: &ros::keys::PrivateKey, claims: &Value) -> String {
    let url = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let signed = format!(
        "{}.{}",
        url(br#"{"alg":"RS256","typ":"JWT"}"#),
        url(claims.to_string().as_bytes())
    );
    let signature = key.sign(signed.as_bytes()).unwrap();
    format!("{signed}.{}", url(&signature))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn every_refusal_has_its_status_and_error_json_and_stale_tokens_fail_at_the_upgrade() {
    let (tmp, site) = init_site();
    let identity = ros::keys::generate().unwrap();
    let identity_key = ros::keys::PrivateKey::from_pem(identity.private_pem.as_bytes()).unwrap();
    let stranger = ros::keys::generate().unwrap();
    let stranger_key = ros::keys::PrivateKey::from_pem(stranger.private_pem.as_bytes()).unwrap();
    let public = tmp.path().join("identity.pub");
    std::fs::write(&public, &identity.public_pem).unwrap();
    let custom = format!(
        r#","custom-token":{{"public_key_path":"{}","audience":"my-aud","metadata":{{"name":"name"}}}}"#,
        public.display()
    );
    let apps = apps_env(&custom);
    let serving = serve_site(
        &site,
        &[("ROS_APPS", &apps), ("ROS_AUTH__REFRESH_TOKEN_TTL", "2s")],
    );
    let base = http_base(&serving);
    let sync_route = format!(
        "ws://{}/api/client/v2.0/app/{APP}/realm-sync",
        serving.listening.proxy_http.unwrap()
    );
    let sdk = Sdk::new(Api::new(base.clone()), "", APP);
    assert_eq!(sdk.register("bob@example.com", "password1").status, 201);

    // Wrong password; unknown user looks the same.
    let wrong = sdk.login_with(
        "local-userpass",
        json!({"username": "bob@example.com", "password": "nope-nope"}),
    );
    assert_eq!(refusal(&wrong), (401, "InvalidPassword"));
    let unknown = sdk.login_with(
        "local-userpass",
        json!({"username": "who@example.com", "password": "nope-nope"}),
    );
    assert_eq!(refusal(&unknown), (401, "InvalidPassword"));

    // Unknown app id: location and login.
    let nobody = Sdk::new(Api::new(base.clone()), "", "no-such-app");
    assert_eq!(refusal(&nobody.location()), (404, "InvalidParameter"));
    let login = nobody.login_with("anon-user", json!({}));
    assert_eq!(refusal(&login), (404, "InvalidParameter"));

    // Unknown or disabled provider.
    let google = sdk.login_with("oauth2-google", json!({"id_token": "x"}));
    assert_eq!(refusal(&google), (404, "AuthProviderNotFound"));
    let closed = Sdk::new(Api::new(base.clone()), "", "closed-app");
    let anon = closed.login_with("anon-user", json!({}));
    assert_eq!(refusal(&anon), (404, "AuthProviderNotFound"));
    assert_eq!(
        refusal(&closed.register("c@example.com", "password1")),
        (400, "BadRequest")
    );
    let reset_path = sdk.provider_path("local-userpass", "reset");
    let reset = sdk.request(
        "POST",
        app_support::RESET,
        &reset_path,
        None,
        Some(&json!({"password": "x", "token": "t", "tokenId": "i"})),
    );
    assert_eq!(refusal(&reset), (400, "BadRequest"));
    assert_eq!(
        refusal(&sdk.register("short@example.com", "12345")),
        (400, "BadRequest")
    );

    // Custom JWTs: a good one logs in (and copies the mapped claim), a
    // malformed, a wrongly signed, an expired and a wrong-audience one do not.
    let now = unix_now();
    let good =
        json!({"sub": "ext-42", "aud": "my-aud", "exp": now + 600, "iat": now, "name": "Eve"});
    let eve = sdk.login(
        "custom-token",
        json!({"token": custom_jwt(&identity_key, &good)}),
    );
    let eve_profile = sdk.profile(&eve.access);
    assert_eq!(
        eve_profile.body["identities"][0]["provider_type"],
        "custom-token"
    );
    assert_eq!(eve_profile.body["identities"][0]["id"], "ext-42");
    assert_eq!(eve_profile.body["data"]["name"], "Eve");
    let again = sdk.login(
        "custom-token",
        json!({"token": custom_jwt(&identity_key, &good)}),
    );
    assert_eq!(
        again.user_id, eve.user_id,
        "the same identity is the same user"
    );
    let mut expired = good.clone();
    expired["exp"] = json!(now - 3600);
    let mut other_audience = good.clone();
    other_audience["aud"] = json!("someone-else");
    for token in [
        "not-a-jwt".to_string(),
        "a.b.c".to_string(),
        custom_jwt(&stranger_key, &good),
        custom_jwt(&identity_key, &expired),
        custom_jwt(&identity_key, &other_audience),
    ] {
        let answer = sdk.login_with("custom-token", json!({ "token": token }));
        assert_eq!(refusal(&answer), (401, "AuthError"), "{token}");
    }

    // No token, or the wrong kind, at the token routes.
    let bob = sdk.password_login("bob@example.com", "password1");
    let none = sdk.request(
        "GET",
        app_support::PROFILE,
        app_support::PROFILE,
        None,
        None,
    );
    assert_eq!(refusal(&none), (401, "InvalidSession"));
    assert_eq!(refusal(&sdk.profile(&bob.refresh)), (401, "InvalidSession"));
    assert_eq!(refusal(&sdk.refresh(&bob.access)), (401, "InvalidSession"));
    assert_eq!(refusal(&sdk.refresh("x.y.z")), (401, "InvalidSession"));

    // Logged-out session: HTTP 401 and the sync upgrade refuses its access token.
    let carol_email = "carol@example.com";
    assert_eq!(sdk.register(carol_email, "password1").status, 201);
    let carol = sdk.password_login(carol_email, "password1");
    assert_eq!(sdk.logout(&carol.refresh).status, 204);
    assert_eq!(
        refusal(&sdk.profile(&carol.access)),
        (401, "InvalidSession")
    );
    assert_eq!(
        refusal(&sdk.logout(&carol.refresh)),
        (401, "InvalidSession")
    );
    assert_sync_refuses(&sync_route, &carol.access);

    // Deleted user: every token of theirs is dead, and so is the identity.
    let dave = sdk.login("anon-user", json!({}));
    assert_eq!(sdk.delete_user(&dave.access).status, 204);
    assert_eq!(refusal(&sdk.profile(&dave.access)), (401, "InvalidSession"));
    assert_eq!(
        refusal(&sdk.refresh(&dave.refresh)),
        (401, "InvalidSession")
    );
    assert_sync_refuses(&sync_route, &dave.access);

    // Expired refresh token (auth.refresh_token_ttl 2s).
    std::thread::sleep(std::time::Duration::from_millis(3100));
    assert_eq!(refusal(&sdk.refresh(&bob.refresh)), (401, "InvalidSession"));

    // Unknown routes of the family answer error JSON too.
    let missing = sdk
        .api
        .client()
        .get(format!("{base}/api/client/v2.0/auth/api_keys"))
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert!(serving.stop().success());
}

/// Every app route of `docs/openapi.yaml` is one the tests above drive.
#[test]
fn every_documented_app_route_is_driven() {
    let documented: BTreeSet<(String, String)> = support::openapi::OpenApi::load()
        .operations("/api/client/v2.0/")
        .into_iter()
        .collect();
    let driven: BTreeSet<(String, String)> = [
        (app_support::LOCATION, "get"),
        (app_support::LOGIN, "post"),
        (app_support::REGISTER, "post"),
        (app_support::RESET, "post"),
        (app_support::PROFILE, "get"),
        (app_support::SESSION, "post"),
        (app_support::SESSION, "delete"),
        (app_support::DELETE, "delete"),
    ]
    .into_iter()
    .map(|(p, m)| (p.to_string(), m.to_string()))
    .collect();
    assert_eq!(documented, driven);
}

#[test]
fn ros_probe_logs_in_through_the_app_api_and_times_every_step() {
    let (_tmp, _site, serving, base, sdk) = serve_apps();
    assert_eq!(sdk.register("gus@example.com", "password1").status, 201);
    let gus = sdk.password_login("gus@example.com", "password1");
    let probe = |args: &[&str], stdin: &str| {
        let mut cmd = support::ros();
        cmd.args(["probe", &base, "--app-id"]).args(args);
        support::run_with_input(&mut cmd, stdin)
    };
    let out = probe(
        &[
            APP,
            "--email",
            "gus@example.com",
            "--password-stdin",
            "--write",
            "--format",
            "json",
        ],
        "password1",
    );
    let run = support::ok_json(&out);
    let report = &run["probes"][0];
    // Every step, in order, but TLS (plain ws://).
    let every: Vec<&str> = ros::client::probe::STEPS
        .into_iter()
        .filter(|s| *s != "tls")
        .collect();
    assert_eq!(support::probe_steps(report), every);
    assert_eq!(report["realm"], format!("\"{}\"", gus.user_id).as_str());
    assert_eq!(
        report["url"],
        format!(
            "ws://{}/api/client/v2.0/app/{APP}/realm-sync",
            &base["http://".len()..]
        )
        .as_str()
    );

    let anonymous = probe(&[APP, "--anonymous", "--format", "json"], "");
    assert_eq!(support::ok_json(&anonymous)["healthy"], true);

    let wrong = probe(
        &[APP, "--email", "gus@example.com", "--password-stdin"],
        "nope-nope",
    );
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("login refused with HTTP 401"), "{stderr}");
    let unknown = probe(&["no-such-app", "--anonymous"], "");
    assert_eq!(unknown.status.code(), Some(1));
    let neither = probe(&[APP], "");
    assert_eq!(neither.status.code(), Some(2));
    assert!(serving.stop().success());
}
