//! Traces end to end with the real `kyros` binary: a job created with a `traceparent` is one
//! trace across `kyros serve` and a `kyros worker` on PostgreSQL and Redis, delivered to an
//! OTLP/HTTP receiver on loopback, or to an OTLP/gRPC one; with no endpoint configured nothing
//! is sent.

mod support;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, http::StatusCode};
use opentelemetry_proto::tonic::{
    collector::trace::v1::{
        ExportTraceServiceRequest, ExportTraceServiceResponse,
        trace_service_server::{TraceService, TraceServiceServer},
    },
    common::v1::any_value,
};
use prost::Message;
use sea_orm::{ConnectionTrait, Database};
use support::{
    Cluster, admin_url, count, create_job, free_port, job_request, long_article, ready_api, redis_reachable,
    redis_url, sign_in, wait_until,
};
use tonic::transport::{Identity, ServerTlsConfig};
use uuid::Uuid;

const TRACE_ID: &str = "5b8aa5a2d2c872e8321cf37308d69df2"; // pragma: allowlist secret
const CONSOLE_SPAN_ID: &str = "051581bf3cb55c13"; // pragma: allowlist secret

/// One span as the receiver decoded it.
#[derive(Debug, Clone)]
struct ReceivedSpan {
    service: String,
    name: String,
    trace_id: String,
    span_id: String,
    parent_span_id: String,
    /// The span's attributes, each value as text.
    attributes: Vec<(String, String)>,
}

impl ReceivedSpan {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(name, _)| name == key).map(|(_, value)| value.as_str())
    }
}

/// An OTLP trace receiver, over HTTP or gRPC: every request it gets, the spans of those it
/// could decode, and the metadata of each gRPC export.
#[derive(Clone, Default)]
struct Receiver {
    requests: Arc<Mutex<usize>>,
    spans: Arc<Mutex<Vec<ReceivedSpan>>>,
    grpc_metadata: Arc<Mutex<Vec<tonic::metadata::MetadataMap>>>,
}

impl Receiver {
    /// Listens for OTLP/HTTP on `address` (any path counts as a request; `POST /v1/traces` is
    /// decoded).
    async fn start(address: &str) -> std::io::Result<(Self, SocketAddr)> {
        let receiver = Self::default();
        let router = Router::new()
            .route("/v1/traces", axum::routing::post(export))
            .fallback(|State(receiver): State<Receiver>| async move {
                *receiver.requests.lock().unwrap() += 1;
                StatusCode::NOT_FOUND
            })
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Ok((receiver, address))
    }

    /// Listens for OTLP/gRPC on `address`, over TLS with `tls`'s certificate.
    async fn start_grpc(address: &str, tls: Option<Identity>) -> std::io::Result<(Self, SocketAddr)> {
        let receiver = Self::default();
        let listener = tokio::net::TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let service = TraceServiceServer::new(receiver.clone());
        let mut server = tonic::transport::Server::builder();
        if let Some(identity) = tls {
            server = server.tls_config(ServerTlsConfig::new().identity(identity)).expect("a TLS server");
        }
        tokio::spawn(async move {
            server
                .serve_with_incoming(service, tonic::transport::server::TcpIncoming::from(listener))
                .await
                .unwrap()
        });
        Ok((receiver, address))
    }

    fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }

    /// Keeps the spans of an export.
    fn record(&self, request: ExportTraceServiceRequest) {
        let hex = |bytes: &[u8]| bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>();
        let mut spans = self.spans.lock().unwrap();
        for resource_spans in request.resource_spans {
            let service = resource_spans
                .resource
                .iter()
                .flat_map(|resource| &resource.attributes)
                .find(|attribute| attribute.key == "service.name")
                .and_then(|attribute| attribute.value.as_ref()?.value.clone())
                .map(|value| match value {
                    any_value::Value::StringValue(name) => name,
                    other => format!("{other:?}"),
                })
                .unwrap_or_default();
            for span in resource_spans.scope_spans.into_iter().flat_map(|scope| scope.spans) {
                let attributes = span
                    .attributes
                    .iter()
                    .map(|attribute| {
                        let value = match attribute.value.as_ref().and_then(|value| value.value.clone()) {
                            Some(any_value::Value::StringValue(text)) => text,
                            other => format!("{other:?}"),
                        };
                        (attribute.key.clone(), value)
                    })
                    .collect();
                spans.push(ReceivedSpan {
                    attributes,
                    service: service.clone(),
                    name: span.name,
                    trace_id: hex(&span.trace_id),
                    span_id: hex(&span.span_id),
                    parent_span_id: hex(&span.parent_span_id),
                });
            }
        }
    }

    fn spans_of(&self, trace_id: &str) -> Vec<ReceivedSpan> {
        self.spans.lock().unwrap().iter().filter(|span| span.trace_id == trace_id).cloned().collect()
    }
}

async fn export(
    State(receiver): State<Receiver>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1], Vec<u8>) {
    *receiver.requests.lock().unwrap() += 1;
    assert_eq!(headers["content-type"], "application/x-protobuf");
    receiver.record(ExportTraceServiceRequest::decode(body).expect("an OTLP trace export"));
    let answer = ExportTraceServiceResponse::default().encode_to_vec();
    (StatusCode::OK, [("content-type", "application/x-protobuf")], answer)
}

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        *self.requests.lock().unwrap() += 1;
        self.grpc_metadata.lock().unwrap().push(request.metadata().clone());
        self.record(request.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

/// The names of `span` and its ancestors among `spans`, nearest first.
fn ancestry<'a>(span: &'a ReceivedSpan, spans: &'a [ReceivedSpan]) -> Vec<&'a str> {
    let mut names = vec![span.name.as_str()];
    let mut parent = &span.parent_span_id;
    while let Some(next) = spans.iter().find(|candidate| &candidate.span_id == parent) {
        names.push(next.name.as_str());
        parent = &next.parent_span_id;
    }
    names
}

/// Creates a job as the console would, inside the console's span of the trace `TRACE_ID`.
async fn traced_job(client: &reqwest::Client, base: &str, token: &str) -> reqwest::Response {
    job_request(client, base, token, "traced")
        .header("traceparent", format!("00-{TRACE_ID}-{CONSOLE_SPAN_ID}-01"))
        .send()
        .await
        .unwrap()
}

fn span_named<'a>(spans: &'a [ReceivedSpan], name: &str) -> &'a ReceivedSpan {
    spans.iter().find(|span| span.name == name).unwrap_or_else(|| panic!("no {name} span in {spans:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_one_trace_across_the_api_and_a_separate_worker() {
    let admin = match Database::connect(admin_url()).await {
        Ok(admin) if redis_reachable() => admin,
        _ => {
            eprintln!(
                "SKIPPED: the trace test needs PostgreSQL ({}) and Redis ({})",
                admin_url(),
                redis_url()
            );
            return;
        }
    };
    let (receiver, collector) = Receiver::start("127.0.0.1:0").await.unwrap();
    let database = format!("kyros_traces_{}", Uuid::now_v7().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {database}")).await.unwrap();
    let database_url = format!("{}/{database}", admin_url().rsplit_once('/').unwrap().0);
    let port = free_port();
    let mut cluster = Cluster::new(&[
        ("DATABASE_URL", database_url.as_str()),
        ("REDIS_URL", redis_url().as_str()),
        ("KYROS_EMBEDDED_WORKER", "false"),
        ("KYROS_EMBEDDED_SCHEDULER", "false"),
        ("KYROS_QUEUE_NAME", &format!("kyros-traces-{}", Uuid::now_v7().simple())),
        ("KYROS_QUEUE_HEARTBEAT_SECONDS", "1"),
        ("PORT", &port.to_string()),
        ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
        // Spans are what the log filter lets through: the default, info.
        ("RUST_LOG", "info,sqlx=warn,sea_orm=warn,apalis=warn"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("http://{collector}")),
    ]);
    cluster.run(&["migrate", "up"]);
    let api = cluster.spawn("serve");
    let worker = cluster.spawn("worker");
    let (base, client) = ready_api(port).await;
    let token = sign_in(&client, &base).await;
    let response = traced_job(&client, &base, &token).await;
    assert_eq!(response.status(), 201);
    let db = Database::connect(&database_url).await.unwrap();
    wait_until("the job", Duration::from_secs(60), || async {
        count(&db, "SELECT COUNT(*) FROM jobs WHERE status = 'needs_review'").await == 1
    })
    .await;
    // Each process flushes its spans when it stops.
    cluster.terminate(worker);
    cluster.terminate(api);

    let spans = receiver.spans_of(TRACE_ID);
    let named = |name: &str| span_named(&spans, name);
    let request = named("POST /jobs");
    assert_eq!(request.service, "kyros-api");
    assert_eq!(request.parent_span_id, CONSOLE_SPAN_ID, "the request continues the console's span");
    for name in ["ingest", "queue.enqueue", "db.jobs.insert"] {
        assert_eq!(named(name).service, "kyros-api", "{name}");
    }
    for name in
        ["job.process", "db.jobs.claim", "generation", "generation.local", "db.variants.replace_for_job"]
    {
        assert_eq!(named(name).service, "kyros-worker", "{name}");
    }
    assert_eq!(ancestry(named("job.process"), &spans), ["job.process", "queue.enqueue", "POST /jobs"]);
    assert_eq!(
        ancestry(named("generation.local"), &spans)[..3],
        ["generation.local", "generation", "job.process"]
    );
    // Each SQL statement is a span of its own under the store call that ran it, with the
    // statement's text but never its values (the source text is one of them).
    let statements: Vec<&ReceivedSpan> =
        spans.iter().filter(|span| span.attribute("db.system") == Some("postgresql")).collect();
    let saved = statements
        .iter()
        .find(|span| ancestry(span, &spans)[1] == "db.variants.replace_for_job")
        .unwrap_or_else(|| panic!("no statement under db.variants.replace_for_job in {statements:#?}"));
    assert!(saved.name.starts_with("sea_orm."), "{saved:?}");
    assert_eq!(saved.service, "kyros-worker");
    assert!(saved.attribute("db.statement").is_some_and(|sql| sql.contains("variants")), "{saved:?}");
    let source = long_article(0);
    let opening = &source[..source.char_indices().nth(40).unwrap().0];
    assert!(
        statements.iter().all(|span| span.attributes.iter().all(|(_, value)| !value.contains(opening))),
        "a statement span holds the source text"
    );
    assert!(statements.iter().any(|span| span.service == "kyros-api"), "the API's statements too");
    // Other requests are traces of their own; the readiness polls above are left out.
    let everything = receiver.spans.lock().unwrap().clone();
    assert!(everything.iter().any(|span| span.name == "POST /auth/login" && span.trace_id != TRACE_ID));
    assert!(everything.iter().all(|span| span.name != "GET /readyz"));

    db.close().await.ok();
    drop(cluster);
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).await.ok();
}

/// With `OTEL_EXPORTER_OTLP_PROTOCOL=grpc` spans go to an OTLP/gRPC receiver, with the
/// `OTEL_EXPORTER_OTLP_HEADERS` as metadata; `kyros serve` with its embedded worker, on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_one_trace_over_grpc() {
    let (receiver, collector) = Receiver::start_grpc("127.0.0.1:0", None).await.unwrap();
    let endpoint = format!("http://{collector}");
    a_job_is_one_trace_exported_to(&receiver, &[("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)]).await;
}

/// An `https` gRPC endpoint is dialled over TLS, trusting the certificate authority
/// `OTEL_EXPORTER_OTLP_CERTIFICATE` names: a collector with a certificate of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_one_trace_over_grpc_with_tls() {
    let dir = tempfile::tempdir().unwrap();
    let (authority, identity) = certificate_authority_and_collector();
    let authority_file = dir.path().join("collector-ca.pem");
    std::fs::write(&authority_file, authority).unwrap();
    let (receiver, collector) = Receiver::start_grpc("127.0.0.1:0", Some(identity)).await.unwrap();
    let endpoint = format!("https://{collector}");
    let authority_file = authority_file.display().to_string();
    a_job_is_one_trace_exported_to(
        &receiver,
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint), ("OTEL_EXPORTER_OTLP_CERTIFICATE", &authority_file)],
    )
    .await;
}

/// A certificate authority (its certificate as PEM) and the collector's certificate and key,
/// issued by it for 127.0.0.1.
fn certificate_authority_and_collector() -> (String, Identity) {
    let authority_key = rcgen::KeyPair::generate().unwrap();
    let mut authority = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let authority_certificate = authority.self_signed(&authority_key).unwrap();
    let issuer = rcgen::Issuer::new(authority, authority_key);
    let collector_key = rcgen::KeyPair::generate().unwrap();
    let collector = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&collector_key, &issuer)
        .unwrap();
    (authority_certificate.pem(), Identity::from_pem(collector.pem(), collector_key.serialize_pem()))
}

/// Runs a job through `kyros serve` with spans exported over gRPC as `exporting` says, and
/// checks the receiver got its one trace with the configured headers as metadata.
async fn a_job_is_one_trace_exported_to(receiver: &Receiver, exporting: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let port_setting = port.to_string();
    let database_url = format!("sqlite://{}?mode=rwc", dir.path().join("kyros.db").display());
    let mut settings = vec![
        ("DATABASE_URL", database_url.as_str()),
        ("KYROS_EMBEDDED_SCHEDULER", "false"),
        ("PORT", &port_setting),
        ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
        ("RUST_LOG", "info,sqlx=warn,sea_orm=warn,apalis=warn"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "x-collector-tenant=kyros-tests"),
    ];
    settings.extend_from_slice(exporting);
    let mut cluster = Cluster::new(&settings);
    let api = cluster.spawn("serve");
    let (base, client) = ready_api(port).await;
    let token = sign_in(&client, &base).await;
    let created: serde_json::Value = traced_job(&client, &base, &token).await.json().await.unwrap();
    let job_url = format!("{base}/jobs/{}", created["id"].as_str().unwrap());
    wait_until("the job", Duration::from_secs(60), || async {
        let job: serde_json::Value =
            client.get(&job_url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        job["status"] == "needs_review"
    })
    .await;
    // Stopping flushes the spans still buffered.
    cluster.terminate(api);

    let spans = receiver.spans_of(TRACE_ID);
    let named = |name: &str| span_named(&spans, name);
    let request = named("POST /jobs");
    assert_eq!(request.service, "kyros-api");
    assert_eq!(request.parent_span_id, CONSOLE_SPAN_ID, "the request continues the console's span");
    assert_eq!(ancestry(named("job.process"), &spans), ["job.process", "queue.enqueue", "POST /jobs"]);
    assert!(spans.iter().all(|span| span.service == "kyros-api"), "{spans:#?}");
    let metadata = receiver.grpc_metadata.lock().unwrap();
    assert!(!metadata.is_empty());
    for exported in metadata.iter() {
        assert_eq!(exported.get("x-collector-tenant").unwrap(), "kyros-tests");
    }
}

/// The exporter's default endpoint is `localhost:4318`: a receiver there hears nothing from a
/// process with no `OTEL_EXPORTER_OTLP_*ENDPOINT`, even one that ran a job and set other
/// `OTEL_*` variables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_exported_without_an_endpoint() {
    let Ok((receiver, _)) = Receiver::start("127.0.0.1:4318").await else {
        eprintln!("SKIPPED: port 4318, the OTLP default, is taken");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let database_url = format!("sqlite://{}?mode=rwc", dir.path().join("kyros.db").display());
    let mut cluster = Cluster::new(&[
        ("DATABASE_URL", &database_url),
        ("KYROS_EMBEDDED_SCHEDULER", "false"),
        ("PORT", &port.to_string()),
        ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
        ("RUST_LOG", "info"),
        ("OTEL_SERVICE_NAME", "kyros-untraced"),
        ("OTEL_TRACES_SAMPLER", "always_on"),
    ]);
    let api = cluster.spawn("serve");
    let (base, client) = ready_api(port).await;
    let token = sign_in(&client, &base).await;
    let job_url = create_job(&client, &base, &token, "untraced").await;
    wait_until("the job", Duration::from_secs(60), || async {
        let job: serde_json::Value =
            client.get(&job_url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        job["status"] == "needs_review"
    })
    .await;
    // Stopping flushes whatever an exporter would hold.
    cluster.terminate(api);
    assert_eq!(receiver.requests(), 0);
}
