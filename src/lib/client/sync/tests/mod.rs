//! The client's bookkeeping without a server: hand-made server messages go
//! through the same bytes → parse → `handle` path the receive loop uses.

mod download;
mod endpoint;
mod messages;
mod persist;
mod upload;

use crate::changeset::{
    encode, AddColumn, AddTable, ByteString, Changeset, CollectionType, ColumnType, CreateObject,
    Instruction, Location, Payload, PrimaryKey, PrimaryKeySpec, PrimaryKeyType, TableType, Update,
    UpdateTarget, ValuePath,
};
use crate::objects::Value;
use crate::protocol::{
    ByteCount, ClientVersion, Compression, Download, DownloadCursor, DownloadEntry, FileIdent,
    Limits, OriginTimestamp, ProtocolVersion, RequestIdent, Salt, SaltedVersion, ServerIdent,
    ServerMessage, ServerVersion, SessionIdent, UploadCursor,
};

use super::realm_client::{Binding, Phase};
use super::RealmClient;

pub const SESSION: u64 = 1;
pub const OWN_IDENT: u64 = 2;

pub fn sv(v: u64) -> ServerVersion {
    ServerVersion::new(v).expect("server version in range")
}

pub fn cv(v: u64) -> ClientVersion {
    ClientVersion::new(v).expect("client version in range")
}

pub fn ts(v: u64) -> OriginTimestamp {
    OriginTimestamp::new(v).expect("timestamp in range")
}

pub fn session() -> SessionIdent {
    SessionIdent::new(SESSION).expect("session in range")
}

/// Class `Task` with an Int primary key `_id` and a nullable string `title`.
pub fn schema() -> Changeset {
    Changeset::new(vec![
        Instruction::AddTable(AddTable {
            table: "Task".into(),
            table_type: TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field: "_id".into(),
                    key_type: PrimaryKeyType::Int,
                    nullable: false,
                },
                asymmetric: false,
            },
        }),
        Instruction::AddColumn(AddColumn {
            table: "Task".into(),
            field: "title".into(),
            column_type: ColumnType::String,
            nullable: true,
            collection_type: CollectionType::Single,
        }),
    ])
}

pub fn create(id: i64) -> Instruction {
    Instruction::CreateObject(CreateObject {
        table: "Task".into(),
        object: PrimaryKey::Int(id),
    })
}

pub fn set_title(id: i64, title: &str) -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: Location {
                table: "Task".into(),
                object: PrimaryKey::Int(id),
                field: "title".into(),
                path: ValuePath::field(),
            },
            is_default: false,
        },
        value: Payload::String(ByteString::from(title)),
    })
}

/// The title of task `id`, if the task exists and has a string title.
pub fn title(client: &RealmClient, id: i64) -> Option<String> {
    let object = client.state().object("Task", &PrimaryKey::Int(id))?;
    match object.fields.get(&ByteString::from("title"))? {
        Value::String(s) => s.to_str().map(str::to_owned),
        _ => None,
    }
}

/// A client that sent BIND on session 1 and waits for the server's IDENT.
pub fn awaiting_ident() -> RealmClient {
    let mut client = RealmClient::new("/tasks");
    client.binding = Some(Binding {
        session: session(),
        phase: Phase::AwaitingIdent,
        last_sent: UploadCursor::default(),
        mark_sent: RequestIdent::ZERO,
        mark_answered: RequestIdent::ZERO,
    });
    client
}

/// A client bound on session 1 that has just received IDENT 2 (salt 7).
pub fn identified() -> RealmClient {
    let mut client = awaiting_ident();
    let ident = ServerMessage::Ident(ServerIdent {
        session: session(),
        file_ident: FileIdent::new(OWN_IDENT).expect("ident"),
        file_ident_salt: Salt(7),
    });
    client.handle(ident).expect("IDENT accepted");
    client
}

/// One DOWNLOAD entry carrying `changeset` in the server's layout.
pub fn entry(
    server_version: u64,
    licv: u64,
    timestamp: u64,
    origin: u64,
    changeset: &Changeset,
) -> DownloadEntry {
    let bytes = encode(changeset);
    DownloadEntry {
        server_version: sv(server_version),
        last_integrated_client_version: cv(licv),
        origin_timestamp: ts(timestamp),
        origin_file_ident: FileIdent::new(origin).expect("origin"),
        original_changeset_size: ByteCount::new(bytes.len() as u64).expect("size"),
        changeset: bytes,
    }
}

/// A DOWNLOAD for session 1: download cursor, latest version (salt 9), upload cursor.
pub fn download(
    dl: (u64, u64),
    latest: u64,
    upload: (u64, u64),
    changesets: Vec<DownloadEntry>,
) -> Download {
    Download {
        session: session(),
        download: DownloadCursor {
            server_version: sv(dl.0),
            last_integrated_client_version: cv(dl.1),
        },
        latest: SaltedVersion {
            version: sv(latest),
            salt: Salt(if latest == 0 { 0 } else { 9 }),
        },
        upload: UploadCursor {
            client_version: cv(upload.0),
            last_integrated_server_version: sv(upload.1),
        },
        downloadable_bytes: ByteCount::ZERO,
        compression: Compression::Plain,
        changesets,
    }
}

/// `message` as the receive loop sees it: serialized, then parsed back.
pub fn over_the_wire(message: ServerMessage) -> ServerMessage {
    let version = ProtocolVersion::MAX;
    let bytes = message.to_bytes(version).expect("serializes");
    ServerMessage::parse(&bytes, version, &Limits::DEFAULT).expect("parses")
}
