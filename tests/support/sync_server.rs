//! A `ros serve` for sync tests: a fresh site, every listener on a free loopback
//! port, JSON logs, and the admin token to connect with.

use std::path::PathBuf;

use super::init_site;
use super::server::Running;

pub struct SyncServer {
    pub serving: Running,
    pub site: PathBuf,
    pub admin_token: String,
    _tmp: tempfile::TempDir,
}

impl SyncServer {
    /// Starts a server on a new site; `env` adds configuration variables.
    pub fn start(env: &[(&str, &str)]) -> SyncServer {
        let (tmp, site) = init_site();
        let serving = Self::serve(&site, env);
        let admin_token = ros::token::read_admin_token(&site.join("data"))
            .expect("admin token file")
            .expect("admin token");
        SyncServer {
            serving,
            site,
            admin_token,
            _tmp: tmp,
        }
    }

    /// `ros serve` on `site` (again, after a stop or a kill).
    pub fn serve(site: &std::path::Path, env: &[(&str, &str)]) -> Running {
        super::http::serve_site(site, env)
    }

    /// The sync route on the sync listener.
    pub fn url(&self) -> String {
        format!("ws://{}/realm-sync", self.serving.listening.sync)
    }

    pub fn data(&self) -> PathBuf {
        self.site.join("data")
    }
}

/// The async runtime sync tests drive their clients on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The client versions each client file has in the history of the Realm at
/// `path` under the data root `data`, in server-version order, after checking
/// the file with SQLite's integrity check. Read straight from the store, so a
/// test sees what a restart would.
pub fn stored_versions(
    data: &std::path::Path,
    path: &str,
) -> std::collections::HashMap<u64, Vec<u64>> {
    let realm = ros::realm_id::RealmId::parse(path, None).expect("Realm path");
    let conn =
        rusqlite::Connection::open(ros::realm::realm_file(data, &realm)).expect("Realm file");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok", "{path}: the Realm file is intact");
    let mut out: std::collections::HashMap<u64, Vec<u64>> = std::collections::HashMap::new();
    let mut stmt = conn
        .prepare("SELECT origin_file_ident, client_version FROM history ORDER BY server_version")
        .expect("history query");
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
        })
        .expect("history rows");
    for row in rows {
        let (origin, version) = row.expect("history row");
        out.entry(origin).or_default().push(version);
    }
    out
}
