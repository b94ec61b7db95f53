//! Serving a fake on a loopback port until it is stopped or dropped.

use std::{io, net::SocketAddr};

use axum::Router;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use url::Url;

#[derive(Debug)]
pub(crate) struct Server {
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// A listener on `address` and the origin it is reached at.
pub(crate) async fn bind(address: SocketAddr) -> io::Result<(TcpListener, Url)> {
    let listener = TcpListener::bind(address).await?;
    let local = listener.local_addr()?;
    let origin = Url::parse(&format!("http://{local}/")).map_err(io::Error::other)?;
    Ok((listener, origin))
}

pub(crate) fn serve(listener: TcpListener, router: Router) -> Server {
    let (shutdown, signal) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let stopped = async {
            let _ = signal.await;
        };
        // A fake that cannot serve fails the test that started it through its client's errors.
        let _ = axum::serve(listener, router).with_graceful_shutdown(stopped).await;
    });
    Server { shutdown: Some(shutdown), task: Some(task) }
}

impl Server {
    pub(crate) async fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
