//! A simulated server and clients exchanging changesets through connections
//! that delay, reorder (across connections), drop and reconnect, each side
//! merging with the library the way realm-core does (`docs/merge.md` §8, §11).

use std::collections::{BTreeMap, VecDeque};

use ros::changeset::Changeset;
use ros::merge::{HistoryEntry, LocalChangeset, MergeOptions, ReciprocalHistory};

mod client;
mod server;
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
    /// Committed instructions by wire tag (AddTable = 0 … SetErase = 13).
    pub kinds: [usize; 14],
}

impl Stats {
    pub fn add(&mut self, other: &Stats) {
        self.commits += other.commits;
        self.server_merges += other.server_merges;
        self.client_merges += other.client_merges;
        for (total, n) in self.kinds.iter_mut().zip(other.kinds) {
            *total += n;
        }
    }
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
        if let Some(Outgoing { changeset, .. }) = client.outgoing.last() {
            for i in &changeset.instructions {
                if let Some(n) = self
                    .stats
                    .kinds
                    .get_mut(usize::from(i.instruction_type().tag()))
                {
                    *n += 1;
                }
            }
        }
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
