//! `mycel serve`: the HTTP server, with graceful shutdown on SIGTERM and Ctrl-C.

use crate::config::{Config, LogFormat};
use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

pub fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to standard error; standard output carries only the listening address.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    init_tracing(&config);
    let store = crate::open_store(&config).await?;
    tracing::info!(backend = store.backend(), "database ready");

    let sweeper = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(600));
            loop {
                every.tick().await;
                match store.delete_expired_sessions().await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(sessions = n, "expired sessions removed"),
                    Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
                }
            }
        })
    };

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr().context("no local address")?;
    let catalogue = mycel_app::catalogue::Catalogue::open(&*store, &config.data_dir)
        .await
        .context("cannot open the catalogue's search index")?;
    let catalogue = Arc::new(catalogue);
    // Catalogue changes made by other processes (the command line, another server on the same
    // database) reach this server's search index within a minute.
    let index_sync = {
        let (store, catalogue) = (store.clone(), catalogue.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            every.tick().await;
            loop {
                every.tick().await;
                if let Err(error) = catalogue.sync_index(&*store).await {
                    tracing::warn!(%error, "could not bring the search index in step");
                }
            }
        })
    };
    let state = mycel_http::AppState::new(store.clone(), config.http(), catalogue);
    // Statements about aligned activities become competency evidence.
    // Statements about the company's opportunities become completions and certifications.
    let completions_feed = tokio::spawn(mycel_app::assignments::run(
        store.clone(),
        state.statement_signal.clone(),
    ));
    let evidence_feed = tokio::spawn(mycel_app::statement_evidence::run(
        store.clone(),
        state.statement_signal.clone(),
    ));
    // cmi5 sessions whose AU went silent are abandoned (cmi5 9.3.6).
    let cmi5_timeouts = {
        let state = state.clone();
        tokio::spawn(async move {
            let home = state.config.home_page();
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                let ctx = state.cmi5(&home, &home);
                match mycel_app::cmi5::abandon_idle_sessions(&ctx, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "idle cmi5 sessions abandoned"),
                    Err(error) => tracing::warn!(%error, "could not abandon idle cmi5 sessions"),
                }
            }
        })
    };
    let app = mycel_http::router(state);
    tracing::info!(%address, "Mycel is listening on http://{address}");
    println!("Mycel is listening on http://{address}");

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stop_rx.await;
        })
        .await
    });
    shutdown_signal().await;
    tracing::info!("shutting down: finishing in-flight requests");
    let _ = stop_tx.send(());
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    match tokio::time::timeout(grace, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(error))) => tracing::error!(%error, "server error"),
        Ok(Err(error)) => tracing::error!(%error, "server task failed"),
        Err(_) => tracing::warn!(
            seconds = grace.as_secs(),
            "requests still running after the grace period"
        ),
    }
    sweeper.abort();
    cmi5_timeouts.abort();
    evidence_feed.abort();
    completions_feed.abort();
    index_sync.abort();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
