//! The simulated server: integrating uploads and answering with downloads.

use ros::merge::{integrate_uploads, History, ReciprocalHistory, Upload};

use super::{ClientFile, DownloadMessage, Entry, Failure, Sim};

impl Sim<'_> {
    /// The server integrates one UPLOAD (§8.4, §8.5).
    pub(super) fn deliver_upload(&mut self, c: usize) -> Result<(), Failure> {
        let Some(client) = self.clients.get_mut(c) else {
            return Ok(());
        };
        let Some(message) = client.up.pop_front() else {
            return Ok(());
        };
        let ident = client.ident;
        let file = self.files.entry(ident).or_insert_with(|| ClientFile {
            client_version: 0,
            reciprocal: ReciprocalHistory::default(),
        });
        for o in &message.changesets {
            if o.client_version <= file.client_version {
                continue;
            }
            let concurrent = self
                .history
                .iter()
                .skip(o.lisv as usize)
                .any(|e| e.origin_file_ident != ident && !e.changeset.instructions.is_empty());
            let upload = Upload {
                client_version: o.client_version,
                last_integrated_server_version: o.lisv,
                origin_timestamp: o.timestamp,
                origin_file_ident: 0,
                changeset: &o.changeset,
            };
            let history = History {
                base_version: 0,
                entries: &self.history,
            };
            let integration = integrate_uploads(
                history,
                &file.reciprocal,
                ident,
                &[upload],
                &self.config.options,
            )
            .map_err(|e| {
                Failure::Server(format!("client {ident} version {}: {e}", o.client_version))
            })?;
            self.stats.server_merges += usize::from(concurrent);
            file.reciprocal
                .entries
                .extend(integration.reciprocal_updates);
            for entry in integration.entries {
                if self.config.trace {
                    eprintln!(
                        "server v{} <- client {ident} v{} (lisv {}):\n{}",
                        self.history.len() + 1,
                        o.client_version,
                        o.lisv,
                        ros::changeset::render::to_text(&entry.changeset)
                    );
                }
                self.server.apply(&entry.changeset).map_err(|e| {
                    let text = ros::changeset::render::to_text(&entry.changeset);
                    Failure::Server(format!(
                        "client {ident} version {}: {e}\n{text}",
                        o.client_version
                    ))
                })?;
                self.history.push(entry);
            }
            file.client_version = o.client_version;
        }
        file.reciprocal.advance(message.progress);
        Ok(())
    }

    /// The server sends what the client has not seen (§10).
    pub(super) fn push(&mut self, c: usize) {
        let Some(client) = self.clients.get_mut(c).filter(|c| c.connected) else {
            return;
        };
        let current = self.history.len() as u64;
        if client.server_cursor >= current {
            return;
        }
        let ident = client.ident;
        let mut licv = self
            .history
            .iter()
            .take(client.server_cursor as usize)
            .rev()
            .find(|e| e.origin_file_ident == ident)
            .map_or(0, |e| e.client_version);
        let mut entries = Vec::new();
        for (i, e) in self
            .history
            .iter()
            .enumerate()
            .skip(client.server_cursor as usize)
        {
            if e.origin_file_ident == ident {
                licv = e.client_version;
            } else if !e.changeset.instructions.is_empty() {
                entries.push(Entry {
                    server_version: i as u64 + 1,
                    licv,
                    timestamp: e.origin_timestamp,
                    origin: if e.origin_file_ident == 0 {
                        1
                    } else {
                        e.origin_file_ident
                    },
                    changeset: e.changeset.clone(),
                });
            }
        }
        client.server_cursor = current;
        client.down.push_back(DownloadMessage {
            cursor: current,
            client_version: licv,
            entries,
        });
    }
}
