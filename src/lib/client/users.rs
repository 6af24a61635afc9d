//! `ros user`'s operations, online (the admin API of a running server) or offline
//! (the admin store of a stopped server's data directory, whose lock is held for
//! the duration so no server can start on it meanwhile).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::time::SystemTime;

use super::admin::{AdminClient, ClientError};
use crate::admin::json::{RemovalJson, UserJson};
use crate::admin::ops::{self, NewPasswordUser, UserChanges};
use crate::admin::{AdminError, AdminStore, Missing};
use crate::config::Config;
use crate::root::{LockError, MarkerError, RootLock};

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("{0}")]
    Store(#[from] AdminError),
    #[error("{0}; without --root, `ros user` talks to the running server instead")]
    Locked(#[source] LockError),
    #[error(transparent)]
    Marker(#[from] MarkerError),
    #[error("no user has the id or username {0:?}")]
    NoSuchUser(String),
    #[error("{} holds a configuration file: it is a server directory, not a data root; give its storage.root_path (such as {})", .0.display(), .0.join(crate::init::DATA_DIR).display())]
    SiteNotRoot(std::path::PathBuf),
}

/// Where `ros user` works.
pub enum Users {
    Online(AdminClient),
    Offline { store: AdminStore, _lock: RootLock },
}

fn local(e: AdminError, name: &str) -> UsersError {
    match e {
        AdminError::NotFound(Missing::User(_) | Missing::Account { .. }) => {
            UsersError::NoSuchUser(name.to_string())
        }
        other => UsersError::Store(other),
    }
}

impl Users {
    /// The data root of a stopped server: refused while a server holds its lock.
    pub fn offline(root: &Path) -> Result<Users, UsersError> {
        if root.join(crate::init::CONFIG_FILE).exists() {
            return Err(UsersError::SiteNotRoot(root.to_path_buf()));
        }
        let lock = RootLock::acquire(root).map_err(UsersError::Locked)?;
        crate::root::check_or_write_marker(root)?;
        let store = AdminStore::open_in_root(root)?;
        Ok(Users::Offline { store, _lock: lock })
    }

    pub fn list(&self) -> Result<Vec<UserJson>, UsersError> {
        match self {
            Users::Online(c) => Ok(c.list_users()?),
            Users::Offline { store, .. } => {
                Ok(ops::all_users(store)?.iter().map(UserJson::from).collect())
            }
        }
    }

    pub fn show(&self, name: &str) -> Result<UserJson, UsersError> {
        match self {
            Users::Online(c) => Ok(c.get_user(name)?),
            Users::Offline { store, .. } => {
                let user = ops::resolve_user(store, name).map_err(|e| local(e, name))?;
                let sessions = store.open_sessions(&user.id)?;
                Ok(UserJson::from(&user).with_sessions(&sessions))
            }
        }
    }

    pub fn add(&self, new: NewPasswordUser) -> Result<UserJson, UsersError> {
        match self {
            Users::Online(c) => Ok(c.create_user(&new)?),
            Users::Offline { store, .. } => Ok(UserJson::from(&ops::add_user(
                store,
                new,
                SystemTime::now(),
            )?)),
        }
    }

    pub fn update(&self, name: &str, changes: UserChanges) -> Result<UserJson, UsersError> {
        match self {
            Users::Online(c) => Ok(c.update_user(name, changes)?),
            Users::Offline { store, .. } => {
                let user = ops::resolve_user(store, name).map_err(|e| local(e, name))?;
                Ok(UserJson::from(&ops::update_user(store, &user.id, changes)?))
            }
        }
    }

    /// An admin's reset: every session of the user ends unless `keep_sessions`.
    pub fn set_password(
        &self,
        name: &str,
        password: &str,
        keep_sessions: bool,
    ) -> Result<UserJson, UsersError> {
        match self {
            Users::Online(c) => Ok(c.set_password(name, password, keep_sessions)?),
            Users::Offline { store, .. } => {
                let user = ops::resolve_user(store, name).map_err(|e| local(e, name))?;
                Ok(UserJson::from(&ops::change_password(
                    store,
                    &user.id,
                    password,
                    if keep_sessions {
                        ops::EndSessions::None
                    } else {
                        ops::EndSessions::All
                    },
                    SystemTime::now(),
                )?))
            }
        }
    }

    pub fn remove(&self, name: &str) -> Result<RemovalJson, UsersError> {
        match self {
            Users::Online(c) => Ok(c.delete_user(name)?),
            Users::Offline { store, .. } => {
                let user = ops::resolve_user(store, name).map_err(|e| local(e, name))?;
                Ok(RemovalJson::from(&ops::remove_user(store, &user.id)?))
            }
        }
    }
}

/// The http service of the server `config` describes: its configured address
/// (a wildcard address means this machine), or, for port 0, the port the running
/// server recorded in its lock file. `None` when neither says.
pub fn server_url(config: &Config) -> Option<String> {
    let listen = config.network.http;
    let port = if listen.port != 0 {
        listen.port
    } else {
        crate::root::lock_holder(&config.storage.root_path)?
            .listeners
            .get("network.http")?
            .port()
    };
    let ip = match listen.address {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    Some(format!("http://{}", SocketAddr::new(ip, port)))
}
