//! A WebSocket relay in front of a real sync listener that forwards every
//! frame both ways except DOWNLOADs carrying changesets: uploads are still
//! integrated and acknowledged (acknowledgements travel in changeset-less
//! DOWNLOADs), but no other session ever hears of them. It stands for a server
//! that acknowledges and does not fan out, which `ros probe --write` must catch.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use ros::protocol::{Limits, ProtocolVersion, ServerMessage};
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

pub struct Relay {
    pub addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Relay {
    /// Relays to `upstream` (`host:port` of the sync listener).
    pub fn start(upstream: SocketAddr) -> Relay {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(relay_one(stream, upstream));
            }
        });
        Relay {
            addr,
            _runtime: runtime,
        }
    }

    /// The relay's sync URL.
    pub fn url(&self) -> String {
        format!("ws://{}/realm-sync", self.addr)
    }
}

/// The client's request as the upstream connection repeats it.
#[derive(Default)]
struct Asked {
    path: String,
    authorization: Option<String>,
    /// The first (highest) version the client offered.
    protocol: Option<String>,
}

#[allow(clippy::result_large_err)] // tungstenite's callback signature
async fn relay_one(stream: tokio::net::TcpStream, upstream: SocketAddr) {
    let mut asked = Asked::default();
    let accepted =
        tokio_tungstenite::accept_hdr_async(stream, |req: &Request, mut resp: Response| {
            asked.path = req
                .uri()
                .path_and_query()
                .map_or("/".into(), |p| p.to_string());
            asked.authorization = req
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            asked.protocol = req
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|v| v.trim().to_string());
            if let Some(p) = asked
                .protocol
                .as_deref()
                .and_then(|p| HeaderValue::from_str(p).ok())
            {
                resp.headers_mut().insert("sec-websocket-protocol", p);
            }
            Ok(resp)
        })
        .await;
    let Ok(client) = accepted else { return };
    let Some(protocol) = asked.protocol else {
        return;
    };
    let version = protocol
        .rsplit(['#', '/'])
        .next()
        .and_then(|v| v.parse().ok())
        .and_then(ProtocolVersion::new)
        .unwrap_or(ProtocolVersion::MAX);
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{upstream}{}",
            asked.path
        ))
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_str(&protocol).unwrap(),
    );
    if let Some(auth) = asked
        .authorization
        .and_then(|a| HeaderValue::from_str(&a).ok())
    {
        request.headers_mut().insert("authorization", auth);
    }
    let Ok((server, _)) = tokio_tungstenite::connect_async(request).await else {
        return;
    };
    let (mut to_client, mut from_client) = client.split();
    let (mut to_server, mut from_server) = server.split();
    let up = async move {
        while let Some(Ok(m)) = from_client.next().await {
            if to_server.send(m).await.is_err() {
                break;
            }
        }
    };
    let down = async move {
        while let Some(Ok(m)) = from_server.next().await {
            if let Message::Binary(bytes) = &m {
                if carries_changesets(bytes, version) {
                    continue;
                }
            }
            if to_client.send(m).await.is_err() {
                break;
            }
        }
    };
    tokio::join!(up, down);
}

fn carries_changesets(bytes: &[u8], version: ProtocolVersion) -> bool {
    matches!(
        ServerMessage::parse(bytes, version, &Limits::DEFAULT),
        Ok(ServerMessage::Download(d)) if !d.changesets.is_empty()
    )
}
