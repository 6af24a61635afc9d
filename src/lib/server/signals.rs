//! Process signals for a running server: SIGINT and SIGTERM stop it, SIGHUP reopens
//! the log file (for logrotate).

use tokio::signal::unix::{signal, SignalKind};

use crate::logging::LogHandle;

/// Resolves on the first SIGINT or SIGTERM; meanwhile reopens the log on SIGHUP.
/// Registers the handlers before returning, so a signal sent right after start-up
/// is never missed.
pub fn shutdown_on_signal(
    log: LogHandle,
) -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    Ok(async move {
        loop {
            tokio::select! {
                _ = int.recv() => { tracing::info!("Got signal SIGINT. Shutting down"); break }
                _ = term.recv() => { tracing::info!("Got signal SIGTERM. Shutting down"); break }
                _ = hup.recv() => match log.reopen() {
                    Ok(()) => tracing::info!("log file reopened (SIGHUP)"),
                    Err(e) => tracing::error!(error = %e, "cannot reopen the log file; still writing to the old one"),
                },
            }
        }
    })
}
