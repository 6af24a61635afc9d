//! Defect 2 of issue 17: the http and proxy listeners close connections that are
//! slow to send a request head, that idle, or whose TLS handshake never ends, and
//! serve at most `network.max_connections` at once while `/health` stays
//! answerable past the bound. Raw sockets, since an HTTP client would hide
//! exactly what is tested. "Closed" is read as end-of-file (or a reset) within
//! the configured timeout plus a generous margin.

use crate::support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use support::http::{serve_site, serve_site_command};
use support::init_site;

/// Far longer than any configured timeout here: reaching it means "not closed".
const MARGIN: Duration = Duration::from_secs(15);

fn connect(at: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(at).unwrap();
    stream.set_read_timeout(Some(MARGIN)).unwrap();
    stream
}

/// Whether the server closed `stream`, reading (and dropping) whatever it sent
/// first; `false` when the margin passed with the connection still open.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false
            }
            Err(e) => panic!("reading: {e}"),
        }
    }
}

/// One request with `Connection: close`; the whole answer.
fn request(at: SocketAddr, path: &str) -> String {
    request_within(at, path, MARGIN)
}

/// As [`request`], giving up (with what arrived, maybe nothing) after `wait`
/// without a byte.
fn request_within(at: SocketAddr, path: &str, wait: Duration) -> String {
    let Ok(mut stream) = TcpStream::connect_timeout(&at, wait) else {
        return String::new();
    };
    stream.set_read_timeout(Some(wait)).unwrap();
    // A connection past the reserve is closed at once: the write may fail, and
    // the answer is then empty.
    let sent = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    );
    if sent.is_err() {
        return String::new();
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn slow_header_idle_and_stalled_body_connections_are_closed() {
    let (_tmp, site) = init_site();
    let serving = serve_site(
        &site,
        &[
            ("ROS_NETWORK__HEADER_READ_TIMEOUT", "1"),
            ("ROS_NETWORK__IDLE_TIMEOUT", "2"),
        ],
    );
    for at in [
        serving.listening.http,
        serving.listening.proxy_http.unwrap(),
    ] {
        let mut slow_header = connect(at);
        slow_header
            .write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n")
            .unwrap();
        let mut idle = connect(at);
        idle.write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 12];
        idle.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        let mut stalled_body = connect(at);
        stalled_body
            .write_all(b"POST /auth HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"pro")
            .unwrap();
        let mut silent = connect(at);

        assert!(closed_by_server(&mut slow_header), "{at}: slow header");
        assert!(closed_by_server(&mut idle), "{at}: idle keep-alive");
        assert!(closed_by_server(&mut stalled_body), "{at}: stalled body");
        assert!(closed_by_server(&mut silent), "{at}: nothing sent");
    }
}

#[test]
fn a_tls_handshake_that_never_finishes_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let tls = support::tls::ca_signed(dir.path());
    let (_tmp, site) = init_site();
    let mut env = tls.https_proxy_env().to_vec();
    env.push(("ROS_NETWORK__HEADER_READ_TIMEOUT", "1"));
    let serving = serve_site(&site, &env);
    let at = serving.listening.proxy_https.unwrap();
    let mut silent = connect(at);
    let mut half_hello = connect(at);
    // The first bytes of a ClientHello record, and then nothing.
    half_hello
        .write_all(&[0x16, 0x03, 0x01, 0x02, 0x00])
        .unwrap();
    assert!(closed_by_server(&mut silent), "no ClientHello");
    assert!(closed_by_server(&mut half_hello), "half a ClientHello");
}

#[test]
fn connections_past_the_bound_are_refused_while_health_answers() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[("ROS_NETWORK__MAX_CONNECTIONS", "3")]);
    for at in [
        serving.listening.http,
        serving.listening.proxy_http.unwrap(),
    ] {
        let held: Vec<TcpStream> = (0..3).map(|_| connect(at)).collect();
        // Past the bound: anything but /health is refused with 503 ...
        let refused = request(at, "/auth/users/x");
        assert!(refused.starts_with("HTTP/1.1 503"), "{at}: {refused}");
        assert!(refused.contains("connection limit"), "{refused}");
        // ... and /health, on another connection, answers.
        let health = request(at, "/health");
        assert!(health.starts_with("HTTP/1.1 200"), "{at}: {health}");
        assert!(health.contains("\"status\":\"ok\""), "{health}");

        // With the few reserved connections taken as well, the next is closed at once.
        let reserved: Vec<TcpStream> = (0..8).map(|_| connect(at)).collect();
        let mut beyond = connect(at);
        assert!(closed_by_server(&mut beyond), "{at}: past the reserve");

        // Reserved connections that send nothing are closed soon (2 s).
        for mut idle in reserved {
            assert!(
                closed_by_server(&mut idle),
                "{at}: a reserved idle connection"
            );
        }
        // Closing the held connections frees their slots.
        drop(held);
        let mut freed = false;
        for _ in 0..100 {
            if request(at, "/auth/users/x").starts_with("HTTP/1.1 401") {
                freed = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(freed, "{at}: slots were not given back");
    }
}

/// The attack: more idle connections than the server has descriptors.
/// With the bound below the open-files limit, connections past it are closed
/// at once instead of exhausting descriptors, so `/health` on a new connection
/// still answers (after at most a few tries while the reserved connections are
/// taken), long before the header timeout would free anything.
#[test]
fn idle_connections_beyond_the_descriptor_limit_leave_health_answerable() {
    use nix::sys::resource::{setrlimit, Resource};
    use std::os::unix::process::CommandExt;

    let (_tmp, site) = init_site();
    let mut cmd = serve_site_command(
        &site,
        &[
            ("ROS_NETWORK__MAX_CONNECTIONS", "100"),
            ("ROS_NETWORK__HEADER_READ_TIMEOUT", "120"),
            ("ROS_NETWORK__IDLE_TIMEOUT", "120"),
        ],
    );
    // SAFETY: setrlimit is async-signal-safe, so it may run between fork and exec.
    unsafe {
        cmd.pre_exec(|| setrlimit(Resource::RLIMIT_NOFILE, 200, 200).map_err(std::io::Error::from));
    }
    let serving = support::server::start(cmd);
    let at = serving.listening.http;
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(at)).collect();
    // Every try gives up after a second or two, and all of them end well before
    // the idle connections' 120 s timeouts: only the bound can let one in.
    let mut answered = None;
    for _ in 0..15 {
        let health = request_within(at, "/health", Duration::from_secs(1));
        if health.starts_with("HTTP/1.1 200") {
            answered = Some(health);
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let health = answered.expect("/health never answered past the bound");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    drop(idle);
}
