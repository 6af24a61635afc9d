//! The simulated client: integrating downloads.

use ros::merge::{integrate_downloads, Download};

use super::{options_trace, Failure, Sim};

impl Sim<'_> {
    /// The client integrates one DOWNLOAD (§11).
    pub(super) fn deliver_download(&mut self, c: usize) -> Result<(), Failure> {
        let options = self.config.options;
        let Some(client) = self.clients.get_mut(c) else {
            return Ok(());
        };
        let Some(message) = client.down.pop_front() else {
            return Ok(());
        };
        let downloads: Vec<Download<'_>> = message
            .entries
            .iter()
            .map(|e| Download {
                server_version: e.server_version,
                last_integrated_client_version: e.licv,
                origin_timestamp: e.timestamp,
                origin_file_ident: e.origin,
                changeset: &e.changeset,
            })
            .collect();
        let concurrent = message
            .entries
            .iter()
            .any(|e| client.pending.iter().any(|p| p.client_version > e.licv));
        let ident = client.ident;
        let transformed = integrate_downloads(&mut client.pending, ident, &downloads, &options)
            .map_err(|e| Failure::Client(format!("client {ident}: {e}")))?;
        self.stats.client_merges += usize::from(concurrent);
        for (changeset, entry) in transformed.iter().zip(&message.entries) {
            if options_trace(self.config) {
                eprintln!(
                    "client {ident} <- server v{} (licv {}):\n{}",
                    entry.server_version,
                    entry.licv,
                    ros::changeset::render::to_text(changeset)
                );
            }
            client.state.apply(changeset).map_err(|e| {
                let text = ros::changeset::render::to_text(changeset);
                Failure::Client(format!(
                    "client {ident}, server version {}: {e}\n{text}",
                    entry.server_version
                ))
            })?;
        }
        client.cursor = message.cursor;
        client.acked = client.acked.max(message.client_version);
        let acked = client.acked;
        client.pending.retain(|p| p.client_version > acked);
        client.outgoing.retain(|o| o.client_version > acked);
        Ok(())
    }
}
