# syntax=docker/dockerfile:1
# The one Kyros image: `kyros serve` by default, serving the API and the console on one port;
# the same image runs `worker`, `scheduler` and `migrate up` (see docker-compose.yml). Build from
# the repository root:
#   docker build -f docker/backend.Dockerfile -t kyros-backend .

ARG RUST_VERSION=1

# The console, built without an API address: served by `kyros serve`, it calls the server that
# served it.
FROM node:20-bookworm-slim AS console
WORKDIR /frontend
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# Error reports and analytics, off when unset (docs/PRIVACY.md).
ARG VITE_SENTRY_DSN= VITE_SENTRY_ENVIRONMENT= VITE_SENTRY_RELEASE= VITE_POSTHOG_KEY= VITE_POSTHOG_HOST=
RUN npm run build

# cargo-chef turns the workspace manifests into a recipe, so the dependency layer below is
# rebuilt only when Cargo.toml or Cargo.lock change, and new workspace crates need no edit here.
FROM rust:${RUST_VERSION}-bookworm AS chef
RUN cargo install --locked cargo-chef@0.1.78
WORKDIR /src

FROM chef AS planner
COPY backend/ ./
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
# Build settings (the bundled SQLite's compile flags) must reach the dependency layer too.
COPY .cargo/ ./.cargo/
# Dependencies only: the slow layer, cached across source changes.
RUN cargo chef cook --release --locked --recipe-path recipe.json -p kyros
COPY backend/ ./
# Embedded into the binary by the build (crates/server/src/console.rs reads ../frontend/dist).
COPY --from=console /frontend/dist /frontend/dist
RUN cargo build --release --locked -p kyros && strip target/release/kyros

FROM debian:bookworm-slim AS runtime
# ca-certificates for outbound HTTPS (URL sources, the optional model, webhooks); curl for the
# health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 kyros \
    && useradd --system --uid 10001 --gid kyros --home-dir /app --shell /usr/sbin/nologin kyros \
    && mkdir -p /app/data /app/outbox \
    && chown -R kyros:kyros /app
COPY --from=build /src/target/release/kyros /usr/local/bin/kyros
WORKDIR /app
USER kyros:kyros
# Listen on every interface inside the container. Without DATABASE_URL a quick `docker run`
# keeps SQLite in /app/data; compose points it at PostgreSQL. /app/outbox is the file
# connector's folder (a named volume in compose, owned by the kyros user).
ENV HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json \
    CONNECTOR_OUTBOX_DIR=/app/outbox
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
ENTRYPOINT ["kyros"]
CMD ["serve"]
