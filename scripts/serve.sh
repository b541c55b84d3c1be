#!/usr/bin/env bash
# Serve Tahaluf on http://127.0.0.1:8000 with a background worker for imports.
set -euo pipefail
export TAHALUF_DEBUG=${TAHALUF_DEBUG:-1}
.venv/bin/tahaluf worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo "Tahaluf: http://127.0.0.1:8000  (worker log: var/worker.log; Ctrl-C stops both)"
.venv/bin/python manage.py runserver 127.0.0.1:${TAHALUF_PORT:-8000}
