//! The listeners: one port each, no privileged port without privileges, and free
//! on this machine. A port held by the ros server that owns this data directory
//! is only a note: check-configuration is often run next to the running server.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener};

use super::files::uid;
use crate::config::layer::{Origin, Sourced};
use crate::config::model::Listen;
use crate::config::problem::Problem;
use crate::config::schema::Key;
use crate::config::sources::Raw;
use crate::root::LockHolder;

/// One socket the server will bind.
#[derive(Debug, Clone)]
pub struct Listener {
    pub key: Key,
    pub listen: Listen,
    pub origin: Origin,
}

impl Listener {
    pub fn new(key: Key, address: &Sourced<std::net::IpAddr>, port: &Sourced<u16>) -> Self {
        Listener {
            key,
            listen: Listen {
                address: address.value,
                port: port.value,
            },
            origin: port.origin.clone(),
        }
    }
}

/// The lowest port an unprivileged user may bind.
fn unprivileged_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024)
}

pub fn check(listeners: &[Listener], probe: bool, holder: Option<&LockHolder>, out: &mut Raw) {
    let mut flagged = vec![false; listeners.len()];
    for j in 0..listeners.len() {
        let Some(i) = (0..j).find(|&i| {
            listeners[i].listen.port != 0 && listeners[i].listen.port == listeners[j].listen.port
        }) else {
            continue;
        };
        let (at, other) = match listeners[j].origin {
            Origin::Default(_) if !matches!(listeners[i].origin, Origin::Default(_)) => (i, j),
            _ => (j, i),
        };
        flagged[at] = true;
        out.push((
            Problem::DuplicatePort {
                key: listeners[at].key,
                port: listeners[at].listen.port,
                other: listeners[other].key,
            },
            listeners[at].origin.clone(),
        ));
    }
    let start = unprivileged_start();
    let euid = uid();
    for (listener, flagged) in listeners.iter().zip(flagged) {
        let port = listener.listen.port;
        if flagged || port == 0 {
            continue;
        }
        let privileged = Problem::PrivilegedPort {
            key: listener.key,
            port,
            start,
            uid: euid,
        };
        if euid != 0 && port < start {
            out.push((privileged, listener.origin.clone()));
        } else if probe {
            if let Some(problem) = bind(listener, holder, privileged) {
                out.push((problem, listener.origin.clone()));
            }
        }
    }
}

fn bind(listener: &Listener, holder: Option<&LockHolder>, privileged: Problem) -> Option<Problem> {
    let address: SocketAddr = listener.listen.socket_addr();
    let key = listener.key;
    let error = TcpListener::bind(address).err()?;
    Some(match error.kind() {
        ErrorKind::AddrInUse => match holder {
            Some(h) if h.addresses.iter().any(|a| a.port() == address.port()) => {
                Problem::PortHeldByServer {
                    key,
                    address,
                    pid: h.pid,
                }
            }
            _ => Problem::PortInUse { key, address },
        },
        ErrorKind::AddrNotAvailable => Problem::AddressUnavailable { key, address },
        ErrorKind::PermissionDenied => privileged,
        _ => Problem::BindFailed {
            key,
            address,
            error: error.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn listener(key: Key, port: u16, origin: Origin) -> Listener {
        Listener {
            key,
            listen: Listen {
                address: IpAddr::V4(Ipv4Addr::LOCALHOST),
                port,
            },
            origin,
        }
    }

    #[test]
    fn a_port_held_by_our_server_is_a_note_and_a_stranger_an_error() {
        let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = taken.local_addr().expect("addr").port();
        let file = Origin::File(None);
        let ours = LockHolder {
            pid: 4242,
            addresses: vec![SocketAddr::from(([127, 0, 0, 1], port))],
            listeners: Default::default(),
        };
        let mut out = Raw::new();
        check(
            &[listener(Key::HttpListenPort, port, file.clone())],
            true,
            Some(&ours),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(matches!(
            out[0].0,
            Problem::PortHeldByServer { pid: 4242, .. }
        ));
        let mut out = Raw::new();
        check(
            &[listener(Key::HttpListenPort, port, file)],
            true,
            None,
            &mut out,
        );
        assert!(matches!(out[0].0, Problem::PortInUse { .. }));
    }

    #[test]
    fn duplicates_are_reported_where_the_operator_wrote_them() {
        let mut out = Raw::new();
        let listeners = [
            listener(
                Key::SyncListenPort,
                27800,
                Origin::Default(Key::SyncListenPort),
            ),
            listener(Key::HttpListenPort, 27800, Origin::Env("ROS_X__Y".into())),
            listener(
                Key::ProxyHttpListenPort,
                0,
                Origin::Default(Key::ProxyHttpListenPort),
            ),
            listener(Key::ProxyHttpsListenPort, 0, Origin::File(None)),
        ];
        check(&listeners, false, None, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0],
            (
                Problem::DuplicatePort {
                    key: Key::HttpListenPort,
                    port: 27800,
                    other: Key::SyncListenPort
                },
                Origin::Env("ROS_X__Y".into())
            )
        );
    }
}
