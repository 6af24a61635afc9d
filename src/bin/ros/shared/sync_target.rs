//! What `ros probe` and `ros probe bench` share: the sync URL, token and TLS
//! settings from the flags, the environment or the local configuration.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, Context as _};
use ros::client::app_login::{app_login, AppCredentials, AppSession};
use ros::client::probe;
use ros::client::sync::TlsOptions;

use super::config;
use super::flags::ConfigFile;
use super::password;
use crate::error::{CliError, ExitCode};

pub fn duration(text: &str) -> Result<Duration, String> {
    probe::parse_duration(text).ok_or_else(|| "use a duration such as 500ms, 10s or 1m".into())
}

pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The local server's sync listener, as `ws://` (a wildcard address means loopback).
fn local_url(config: &ros::config::Config) -> Result<String, CliError> {
    let listen = config.network.sync;
    let port = if listen.port != 0 {
        listen.port
    } else {
        ros::root::lock_holder(&config.storage.root_path)
            .and_then(|holder| holder.listeners.get("network.sync").map(SocketAddr::port))
            .ok_or_else(|| {
                CliError::unreachable(anyhow!(
                    "the local server is not running (its lock file names no sync address)"
                ))
                .hint("give a URL or ROS_URL, or start it with `ros serve`")
            })?
    };
    let ip = match listen.address {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    let prefix = config.network.url_prefix.clone().unwrap_or_default();
    Ok(format!(
        "ws://{}{prefix}/realm-sync",
        SocketAddr::new(ip, port)
    ))
}

fn read_token(file: &std::path::Path, what: &str) -> Result<String, CliError> {
    Ok(std::fs::read_to_string(file)
        .with_context(|| format!("{what} {}", file.display()))
        .map_err(CliError::usage)?
        .trim()
        .to_string())
}

/// The TLS trust of `--ca-cert` and `--insecure`.
fn tls_options(ca_cert: Option<&std::path::Path>, insecure: bool) -> Result<TlsOptions, CliError> {
    let ca_pem = match ca_cert {
        Some(file) => Some(
            std::fs::read(file)
                .with_context(|| format!("--ca-cert {}", file.display()))
                .map_err(CliError::usage)?,
        ),
        None => None,
    };
    Ok(TlsOptions { ca_pem, insecure })
}

/// Who and where to connect: the URL, token and TLS settings from the flags,
/// the environment or the local configuration.
pub struct Target<'a> {
    pub url: Option<String>,
    pub token: Option<String>,
    pub token_file: Option<PathBuf>,
    pub username: Option<String>,
    pub password_stdin: bool,
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Duration,
    pub config: &'a ConfigFile,
}

/// Where a sync target was found to be, and how to reach it.
pub struct Resolved {
    /// The sync route.
    pub url: String,
    pub token: String,
    pub tls: TlsOptions,
    /// How long the password login took, when there was one (`ros probe`
    /// reports it as its `login` step).
    pub login: Option<std::time::Duration>,
    /// The http(s) base of the same server, when known: the URL given (the
    /// proxy serves both), else the local configuration's http listener.
    pub http: Option<String>,
}

/// The sync URL, token and TLS settings from the flags, the environment or
/// the local configuration, with the login's time and the http base.
pub fn resolve(args: Target<'_>) -> Result<Resolved, CliError> {
    let mut local = None;
    let mut local_config = || -> Result<ros::config::Config, CliError> {
        if local.is_none() {
            local = Some(config::local(args.config.config.as_deref())?);
        }
        local
            .clone()
            .ok_or_else(|| CliError::usage(anyhow!("no configuration")))
    };
    let (url, http) = match args.url.clone().or_else(|| env("ROS_URL")) {
        Some(url) => {
            let url = probe::sync_url(&url).map_err(|e| CliError::usage(anyhow!(e)))?;
            (url.clone(), Some(probe::http_base(&url)))
        }
        None => {
            let config = local_config()?;
            (local_url(&config)?, ros::client::server_url(&config))
        }
    };
    let tls = tls_options(args.ca_cert.as_deref(), args.insecure)?;
    let mut login = None;
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => token.clone(),
        (None, None) if args.username.is_some() => {
            let user = args.username.as_deref().unwrap_or_default();
            let http = http.clone().ok_or_else(|| {
                CliError::unreachable(anyhow!("the local server's http address is unknown"))
            })?;
            let password = password::read(user, args.password_stdin, password::Ask::Once)?;
            let clock = std::time::Instant::now();
            let token = probe::login(&http, user, &password, &tls, args.timeout).map_err(|e| {
                let code = match e {
                    probe::LoginError::Unreachable { .. } => ExitCode::Unreachable,
                    _ => ExitCode::Failed,
                };
                CliError::new(code, e)
            })?;
            login = Some(clock.elapsed());
            token
        }
        (None, Some(file)) => read_token(file, "--token-file")?,
        (None, None) => match (env("ROS_TOKEN"), env("ROS_TOKEN_FILE")) {
            (Some(token), _) => token,
            (None, Some(file)) => read_token(std::path::Path::new(&file), "ROS_TOKEN_FILE")?,
            (None, None) => {
                let root = local_config()?.storage.root_path;
                ros::token::read_admin_token(&root)
                    .map_err(CliError::usage)?
                    .ok_or_else(|| {
                        CliError::usage(anyhow!(
                            "no token: give --token, --token-file, ROS_TOKEN or ROS_TOKEN_FILE ({} has no admin token yet)",
                            root.display()
                        ))
                    })?
            }
        },
    };
    Ok(Resolved {
        url,
        token,
        tls,
        login,
        http,
    })
}

/// Logs in as an SDK would (location, login, profile) at the URL's http(s)
/// base, else `ROS_URL`, else the local http service (with `network.url_prefix`).
/// `args` gives the URL, TLS, timeout and `--password-stdin`; its token
/// fields are not used.
pub fn resolve_app(
    args: &Target<'_>,
    app_id: &str,
    email: Option<&str>,
) -> Result<(AppSession, TlsOptions), CliError> {
    let base = match args.url.clone().or_else(|| env("ROS_URL")) {
        Some(url) => {
            let sync = probe::sync_url(&url).map_err(|e| CliError::usage(anyhow!(e)))?;
            probe::http_base(&sync)
        }
        None => {
            let config = config::local(args.config.config.as_deref())?;
            let http = ros::client::server_url(&config).ok_or_else(|| {
                CliError::unreachable(anyhow!("the local server's http address is unknown"))
            })?;
            format!(
                "{}{}",
                http.trim_end_matches('/'),
                config.network.url_prefix.unwrap_or_default()
            )
        }
    };
    let tls = tls_options(args.ca_cert.as_deref(), args.insecure)?;
    let credentials = match email {
        Some(email) => AppCredentials::Password {
            email: email.to_string(),
            password: password::read(email, args.password_stdin, password::Ask::Once)?,
        },
        None => AppCredentials::Anonymous,
    };
    let session = app_login(&base, app_id, &credentials, &tls, args.timeout).map_err(|e| {
        let code = match e {
            probe::LoginError::Unreachable { .. } => ExitCode::Unreachable,
            _ => ExitCode::Failed,
        };
        CliError::new(code, e)
    })?;
    Ok((session, tls))
}
