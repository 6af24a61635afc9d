//! A `ros serve` for sync tests: a fresh site, every listener on a free loopback
//! port, JSON logs, and the admin token to connect with.

use std::path::PathBuf;

use super::server::{self, Running};
use super::{init_site, ros};

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
        let mut cmd = ros();
        cmd.arg("serve")
            .arg("--config")
            .arg(site.join("configuration.yml"))
            .args(["--port", "0", "--listen", "127.0.0.1"])
            .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
            .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
            .env("ROS_LOGGING__FORMAT", "json");
        for (k, v) in env {
            cmd.env(k, v);
        }
        server::start(cmd)
    }

    /// The sync route on the sync listener.
    pub fn url(&self) -> String {
        format!("ws://{}/realm-sync", self.serving.listening.sync)
    }

    pub fn data(&self) -> PathBuf {
        self.site.join("data")
    }
}
