# syntax=docker/dockerfile:1
# The console: built once with the API's public address baked in, then served as static files
# by nginx (unprivileged, port 8080) with a fallback to index.html for client-side routes.
# Build from the repository root:
#   docker build -f docker/frontend.Dockerfile --build-arg VITE_API_BASE_URL=https://api.example.com -t kyros-frontend .

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
ARG VITE_API_BASE_URL=http://localhost:8000
ENV VITE_API_BASE_URL=${VITE_API_BASE_URL}
# Error reports and analytics, off when unset (docs/PRIVACY.md).
ARG VITE_SENTRY_DSN= VITE_SENTRY_ENVIRONMENT= VITE_SENTRY_RELEASE= VITE_POSTHOG_KEY= VITE_POSTHOG_HOST=
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/dist /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
