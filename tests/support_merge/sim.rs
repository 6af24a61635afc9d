//! A simulated server and clients exchanging changesets through connections
//! that delay, reorder (across connections), drop and reconnect, each side
//! merging with the library the way realm-core does (`merge-rules.md` §9, §12).

use std::collections::{BTreeMap, VecDeque};

use ros::changeset::Changeset;
use ros::merge::{
    integrate_downloads, integrate_uploads, Download, History, HistoryEntry, LocalChangeset,
    MergeOptions, ReciprocalHistory, Upload,
};
use ros::objects::{final_state, State};

use super::gen::{changeset_for, schema, Profile};
use super::rng::Rng;

#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub clients: usize,
    pub steps: usize,
    pub profile: Profile,
    pub options: MergeOptions,
    /// Print every commit, integration and download (for replaying one seed).
    pub trace: bool,
}

/// What went wrong in one run.
#[derive(Debug)]
pub enum Failure {
    /// The server could not integrate or apply an upload (bad changeset).
    Server(String),
    /// A client could not integrate or apply a download.
    Client(String),
    /// Quiescent, but some replica differs from the server.
    Diverged(String),
}

/// What a run did, to check that runs exercise concurrency at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub commits: usize,
    /// Uploads the server merged with at least one concurrent entry.
    pub server_merges: usize,
    /// Downloads a client merged with at least one pending changeset.
    pub client_merges: usize,
}

#[derive(Clone)]
struct Outgoing {
    client_version: u64,
    lisv: u64,
    timestamp: u64,
    changeset: Changeset,
}

struct UploadMessage {
    progress: u64,
    changesets: Vec<Outgoing>,
}

struct Entry {
    server_version: u64,
    licv: u64,
    timestamp: u64,
    origin: u64,
    changeset: Changeset,
}

struct DownloadMessage {
    cursor: u64,
    client_version: u64,
    entries: Vec<Entry>,
}

struct Client {
    ident: u64,
    state: State,
    version: u64,
    cursor: u64,
    acked: u64,
    last_timestamp: u64,
    skew: u64,
    pending: Vec<LocalChangeset>,
    outgoing: Vec<Outgoing>,
    sent_upto: u64,
    connected: bool,
    up: VecDeque<UploadMessage>,
    down: VecDeque<DownloadMessage>,
    /// The server's download cursor for this client's connection.
    server_cursor: u64,
}

struct ClientFile {
    client_version: u64,
    reciprocal: ReciprocalHistory,
}

struct Sim<'c> {
    config: &'c Config,
    rng: Rng,
    time: u64,
    history: Vec<HistoryEntry>,
    server: State,
    files: BTreeMap<u64, ClientFile>,
    clients: Vec<Client>,
    stats: Stats,
}

/// Runs one seed: random activity for `config.steps` steps, then quiescence, then
/// every replica must equal the server.
pub fn run(seed: u64, config: &Config) -> Result<Stats, Failure> {
    let mut base = State::new();
    base.apply(&schema())
        .map_err(|e| Failure::Server(format!("schema: {e}")))?;
    let mut rng = Rng::new(seed);
    let clients = (0..config.clients)
        .map(|i| Client {
            ident: i as u64 + 2,
            state: base.clone(),
            version: 0,
            cursor: 0,
            acked: 0,
            last_timestamp: 0,
            skew: rng.below(4) as u64,
            pending: Vec::new(),
            outgoing: Vec::new(),
            sent_upto: 0,
            connected: true,
            up: VecDeque::new(),
            down: VecDeque::new(),
            server_cursor: 0,
        })
        .collect();
    let mut sim = Sim {
        config,
        rng,
        time: 0,
        history: Vec::new(),
        server: base,
        files: BTreeMap::new(),
        clients,
        stats: Stats::default(),
    };
    for _ in 0..config.steps {
        sim.step()?;
    }
    sim.quiesce()?;
    sim.check()?;
    Ok(sim.stats)
}

impl Sim<'_> {
    fn step(&mut self) -> Result<(), Failure> {
        self.time += 1;
        let c = self.rng.below(self.clients.len());
        match self.rng.below(100) {
            0..=29 => self.commit(c),
            30..=44 => self.send(c),
            45..=64 => self.deliver_upload(c)?,
            65..=74 => self.push(c),
            75..=93 => self.deliver_download(c)?,
            94..=96 => self.disconnect(c),
            _ => self.reconnect(c),
        }
        Ok(())
    }

    fn commit(&mut self, c: usize) {
        let profile = self.config.profile;
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        let changeset = changeset_for(&mut self.rng, &mut client.state, &profile);
        if changeset.instructions.is_empty() {
            return;
        }
        client.version += 1;
        client.last_timestamp = client.last_timestamp.max(self.time / 4 + client.skew);
        client.pending.push(LocalChangeset {
            client_version: client.version,
            origin_timestamp: client.last_timestamp,
            reciprocal: changeset.clone(),
        });
        if self.config.trace {
            eprintln!(
                "commit client {} v{} lisv {} ts {}:\n{}",
                client.ident,
                client.version,
                client.cursor,
                client.last_timestamp,
                ros::changeset::render::to_text(&changeset)
            );
        }
        client.outgoing.push(Outgoing {
            client_version: client.version,
            lisv: client.cursor,
            timestamp: client.last_timestamp,
            changeset,
        });
        self.stats.commits += 1;
    }

    fn send(&mut self, c: usize) {
        let Some(client) = self.clients.get_mut(c).filter(|c| c.connected) else {
            return;
        };
        let new: Vec<Outgoing> = client
            .outgoing
            .iter()
            .filter(|o| o.client_version > client.sent_upto)
            .cloned()
            .collect();
        if let Some(last) = new.last() {
            client.sent_upto = last.client_version;
            client.up.push_back(UploadMessage {
                progress: client.cursor,
                changesets: new,
            });
        }
    }

    /// The server integrates one UPLOAD (§9.4, §9.5).
    fn deliver_upload(&mut self, c: usize) -> Result<(), Failure> {
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

    /// The server sends what the client has not seen (§11).
    fn push(&mut self, c: usize) {
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

    /// The client integrates one DOWNLOAD (§12).
    fn deliver_download(&mut self, c: usize) -> Result<(), Failure> {
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

    fn disconnect(&mut self, c: usize) {
        if let Some(client) = self.clients.get_mut(c) {
            client.connected = false;
            client.up.clear();
            client.down.clear();
        }
    }

    fn reconnect(&mut self, c: usize) {
        if let Some(client) = self.clients.get_mut(c).filter(|c| !c.connected) {
            client.connected = true;
            client.sent_upto = client.acked;
            client.server_cursor = client.cursor;
        }
    }

    /// Everyone connects and exchanges until nothing is left in flight.
    fn quiesce(&mut self) -> Result<(), Failure> {
        for c in 0..self.clients.len() {
            self.reconnect(c);
        }
        for _ in 0..50 {
            for c in 0..self.clients.len() {
                self.send(c);
                while self.clients.get(c).is_some_and(|x| !x.up.is_empty()) {
                    self.deliver_upload(c)?;
                }
            }
            for c in 0..self.clients.len() {
                self.push(c);
                while self.clients.get(c).is_some_and(|x| !x.down.is_empty()) {
                    self.deliver_download(c)?;
                }
            }
            let current = self.history.len() as u64;
            if self
                .clients
                .iter()
                .all(|c| c.outgoing.is_empty() && c.cursor == current)
            {
                return Ok(());
            }
        }
        Err(Failure::Diverged("no quiescence after 50 rounds".into()))
    }

    fn check(&self) -> Result<(), Failure> {
        for client in &self.clients {
            if client.state != self.server {
                return Err(Failure::Diverged(format!(
                    "client {} differs from the server\n{}",
                    client.ident,
                    first_difference(&client.state, &self.server)
                )));
            }
        }
        Ok(())
    }
}

fn options_trace(config: &Config) -> bool {
    config.trace
}

fn first_difference(a_state: &State, b_state: &State) -> String {
    let (a, b) = (a_state, b_state);
    let pretty = |s: &State| serde_json::to_string_pretty(&final_state(s)).unwrap_or_default();
    let (a, b) = (pretty(a), pretty(b));
    match a.lines().zip(b.lines()).position(|(x, y)| x != y) {
        Some(i) => format!(
            "client: {}\nserver: {}",
            a.lines()
                .skip(i.saturating_sub(3))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n        "),
            b.lines()
                .skip(i.saturating_sub(3))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n        ")
        ),
        None => {
            let (a, b) = (format!("{a_state:#?}"), format!("{b_state:#?}"));
            let i = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            format!(
                "hidden state differs:\nclient: {}\nserver: {}",
                a.lines()
                    .skip(i.saturating_sub(6))
                    .take(10)
                    .collect::<Vec<_>>()
                    .join("\n        "),
                b.lines()
                    .skip(i.saturating_sub(6))
                    .take(10)
                    .collect::<Vec<_>>()
                    .join("\n        ")
            )
        }
    }
}
