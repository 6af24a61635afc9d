//! The original 3.x `ros start` flags (docs/original-server.md §1), turned into the same
//! flag layer that `ros serve`'s flags fill, so both commands share every check and
//! a finding names the flag the operator typed. Validation messages are the original's, since scripts may match them.

use std::path::{Path, PathBuf};

use super::schema::Key;
use super::{FlagSetting, LogLevel, Overrides};

/// What the operator typed after `ros start`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartFlags {
    pub data: PathBuf,
    pub address: String,
    pub port: String,
    pub loglevel: String,
    pub logfile: Option<PathBuf>,
    pub auto_keygen: bool,
    pub private_key: Option<PathBuf>,
    pub public_key: Option<PathBuf>,
    pub https: bool,
    pub https_key: Option<PathBuf>,
    pub https_cert: Option<PathBuf>,
    pub https_address: String,
    pub https_port: String,
    /// `--access-token-ttl`, seconds.
    pub access_token_ttl: Option<String>,
    /// `--refresh-token-ttl`, seconds.
    pub refresh_token_ttl: Option<String>,
}

/// How `ros start` runs: the data root and key paths to prepare, and the settings
/// to load with no configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartPlan {
    pub root: PathBuf,
    pub private_key: PathBuf,
    pub public_key: PathBuf,
    /// Generate the key pair when both files are missing (the original's default).
    pub auto_keygen: bool,
    pub overrides: Overrides,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("Invalid port number (1-65535): '{0}'")]
    Port(String),
    #[error("Invalid HTTPS port number (1-65535): '{0}'")]
    HttpsPort(String),
    #[error("log-level must be one of: {}", LogLevel::ALL.map(LogLevel::name).join(", "))]
    LogLevel(String),
    #[error("HTTPS was enabled but a path to the key was not provided.")]
    HttpsKey,
    #[error("HTTPS was enabled but a path to the certificate chain was not provided.")]
    HttpsCert,
    #[error("{0} must be a positive number.")]
    Ttl(&'static str),
}

/// The original's TTL rule: a positive integer written plainly.
fn ttl(text: &str, flag: &'static str) -> Result<String, StartError> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 && n.to_string() == text => Ok(text.to_string()),
        _ => Err(StartError::Ttl(flag)),
    }
}

/// The original accepted 1-65535 written plainly (no sign, no leading zeros).
fn port(text: &str) -> Option<u16> {
    let n: u16 = text.parse().ok()?;
    (n >= 1 && n.to_string() == text).then_some(n)
}

pub fn plan_start(flags: &StartFlags, cwd: &Path) -> Result<StartPlan, StartError> {
    port(&flags.port).ok_or_else(|| StartError::Port(flags.port.clone()))?;
    LogLevel::from_name(&flags.loglevel)
        .ok_or_else(|| StartError::LogLevel(flags.loglevel.clone()))?;
    let root = cwd.join(&flags.data);
    let private_key = cwd.join(
        flags
            .private_key
            .clone()
            .unwrap_or_else(|| root.join("keys/auth.key")),
    );
    let public_key = cwd.join(
        flags
            .public_key
            .clone()
            .unwrap_or_else(|| root.join("keys/auth.pub")),
    );
    let mut settings = Vec::new();
    let mut set = |key: Key, flag: &'static str, value: String| {
        settings.push(FlagSetting { key, flag, value });
    };
    if flags.https {
        port(&flags.https_port).ok_or_else(|| StartError::HttpsPort(flags.https_port.clone()))?;
        let key = flags.https_key.as_ref().ok_or(StartError::HttpsKey)?;
        let cert = flags.https_cert.as_ref().ok_or(StartError::HttpsCert)?;
        set(Key::ProxyHttpsEnable, "--https", "true".into());
        set(
            Key::ProxyHttpsListenAddress,
            "--https-address",
            flags.https_address.clone(),
        );
        set(
            Key::ProxyHttpsListenPort,
            "--https-port",
            flags.https_port.clone(),
        );
        set(
            Key::ProxyHttpsPrivateKeyPath,
            "--https-key",
            cwd.join(key).display().to_string(),
        );
        set(
            Key::ProxyHttpsCertificatePath,
            "--https-cert",
            cwd.join(cert).display().to_string(),
        );
    }
    if let Some(log) = &flags.logfile {
        set(
            Key::LoggingPath,
            "--logfile",
            cwd.join(log).display().to_string(),
        );
    }
    if let Some(text) = &flags.access_token_ttl {
        set(
            Key::AuthAccessTokenTtl,
            "--access-token-ttl",
            ttl(text, "access-token-ttl")?,
        );
    }
    if let Some(text) = &flags.refresh_token_ttl {
        set(
            Key::AuthRefreshTokenTtl,
            "--refresh-token-ttl",
            ttl(text, "refresh-token-ttl")?,
        );
    }
    Ok(StartPlan {
        overrides: Overrides {
            root: Some(root.clone()),
            public_key: Some(public_key.clone()),
            private_key: Some(private_key.clone()),
            listen: Some(flags.address.clone()),
            port: Some(flags.port.clone()),
            log_level: Some(flags.loglevel.clone()),
            settings,
        },
        root,
        private_key,
        public_key,
        auto_keygen: flags.auto_keygen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> StartFlags {
        StartFlags {
            data: "./data".into(),
            address: "0.0.0.0".into(),
            port: "9080".into(),
            loglevel: "info".into(),
            auto_keygen: true,
            https_address: "0.0.0.0".into(),
            https_port: "9443".into(),
            ..StartFlags::default()
        }
    }

    #[test]
    fn defaults_put_keys_under_the_data_root() {
        let plan = plan_start(&flags(), Path::new("/srv")).unwrap();
        assert_eq!(plan.root, Path::new("/srv/./data"));
        assert_eq!(plan.private_key, Path::new("/srv/./data/keys/auth.key"));
        assert_eq!(plan.overrides.port.as_deref(), Some("9080"));
        assert!(plan.overrides.settings.is_empty());
    }

    #[test]
    fn original_messages_for_bad_values() {
        for bad in ["0", "65536", "x", "+80", "080"] {
            let f = StartFlags {
                port: bad.into(),
                ..flags()
            };
            let err = plan_start(&f, Path::new("/")).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("Invalid port number (1-65535): '{bad}'")
            );
        }
        let f = StartFlags {
            loglevel: "loud".into(),
            ..flags()
        };
        assert_eq!(
            plan_start(&f, Path::new("/")).unwrap_err().to_string(),
            "log-level must be one of: all, trace, debug, detail, info, warn, error, fatal, off"
        );
        let f = StartFlags {
            https: true,
            ..flags()
        };
        assert_eq!(plan_start(&f, Path::new("/")), Err(StartError::HttpsKey));
        let f = StartFlags {
            https: true,
            https_key: Some("k".into()),
            https_port: "0".into(),
            ..flags()
        };
        assert_eq!(
            plan_start(&f, Path::new("/")),
            Err(StartError::HttpsPort("0".into()))
        );
    }

    #[test]
    fn https_and_log_file_become_settings() {
        let f = StartFlags {
            https: true,
            https_key: Some("tls/key.pem".into()),
            https_cert: Some("tls/cert.pem".into()),
            logfile: Some("ros.log".into()),
            ..flags()
        };
        let plan = plan_start(&f, Path::new("/srv")).unwrap();
        let get = |k: Key| {
            plan.overrides
                .settings
                .iter()
                .find(|s| s.key == k)
                .map(|s| (s.flag, s.value.as_str()))
        };
        assert_eq!(get(Key::ProxyHttpsEnable), Some(("--https", "true")));
        assert_eq!(
            get(Key::ProxyHttpsPrivateKeyPath),
            Some(("--https-key", "/srv/tls/key.pem"))
        );
        assert_eq!(get(Key::LoggingPath), Some(("--logfile", "/srv/ros.log")));
    }

    #[test]
    fn token_lifetimes_become_settings_with_the_original_check() {
        let mut f = flags();
        f.access_token_ttl = Some("60".into());
        f.refresh_token_ttl = Some("3600".into());
        let plan = plan_start(&f, Path::new("/srv")).unwrap();
        assert!(plan.overrides.settings.contains(&FlagSetting {
            key: Key::AuthAccessTokenTtl,
            flag: "--access-token-ttl",
            value: "60".into(),
        }));
        f.refresh_token_ttl = Some("010".into());
        assert_eq!(
            plan_start(&f, Path::new("/srv")).unwrap_err().to_string(),
            "refresh-token-ttl must be a positive number."
        );
    }
}
