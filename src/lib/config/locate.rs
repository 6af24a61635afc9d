//! Which configuration file to use: `--config`, else `ROS_CONFIG`, else
//! `./configuration.yml`; with none of them, the development server.

use std::path::{Path, PathBuf};

/// The process environment, handed in by the caller so the library never reads
/// the real one and tests stay deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    vars: Vec<(String, String)>,
}

impl Environment {
    pub fn new<I, K, V>(vars: I) -> Environment
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        vars.sort();
        Environment { vars }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every variable, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The file looked for in the current directory when nothing else names one.
pub const DEFAULT_FILE: &str = "configuration.yml";

/// The variable that names the configuration file.
pub const CONFIG_ENV: &str = "ROS_CONFIG";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Read this file (absolute).
    File(PathBuf),
    /// No configuration anywhere: run the development server.
    Development,
}

#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    #[error("the configuration file {} given by {origin} does not exist", path.display())]
    NotFound { path: PathBuf, origin: &'static str },
}

/// Finds the configuration. A file named by `--config` or `ROS_CONFIG` must exist:
/// silently falling back to the development server would hide a typo.
pub fn locate(
    explicit: Option<&Path>,
    env: &Environment,
    cwd: &Path,
) -> Result<Location, LocateError> {
    let named = match (explicit, env.get(CONFIG_ENV).filter(|v| !v.is_empty())) {
        (Some(path), _) => Some((cwd.join(path), "--config")),
        (None, Some(var)) => Some((cwd.join(var), CONFIG_ENV)),
        (None, None) => None,
    };
    match named {
        Some((path, _)) if path.exists() => Ok(Location::File(path)),
        Some((path, origin)) => Err(LocateError::NotFound { path, origin }),
        None => {
            let default = cwd.join(DEFAULT_FILE);
            Ok(if default.exists() {
                Location::File(default)
            } else {
                Location::Development
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_default_and_nothing_means_development() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cwd = dir.path();
        let none = Environment::default();
        assert_eq!(locate(None, &none, cwd).ok(), Some(Location::Development));
        std::fs::write(cwd.join("configuration.yml"), "").expect("write");
        std::fs::write(cwd.join("a.yml"), "").expect("write");
        std::fs::write(cwd.join("b.yml"), "").expect("write");
        assert_eq!(
            locate(None, &none, cwd).ok(),
            Some(Location::File(cwd.join("configuration.yml")))
        );
        let env = Environment::new([("ROS_CONFIG", "b.yml")]);
        assert_eq!(
            locate(None, &env, cwd).ok(),
            Some(Location::File(cwd.join("b.yml")))
        );
        assert_eq!(
            locate(Some(Path::new("a.yml")), &env, cwd).ok(),
            Some(Location::File(cwd.join("a.yml")))
        );
        let missing = Environment::new([("ROS_CONFIG", "nope.yml")]);
        assert!(matches!(
            locate(None, &missing, cwd),
            Err(LocateError::NotFound {
                origin: "ROS_CONFIG",
                ..
            })
        ));
    }
}
