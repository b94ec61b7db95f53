#!/usr/bin/env bash
# Starts the Kyros web console on http://localhost:3001 (expects the API on http://localhost:8000;
# set VITE_API_BASE_URL to point elsewhere).
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if [ ! -d node_modules ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci
fi
exec npm run dev
