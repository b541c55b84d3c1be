#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server in a temporary folder, then stop it.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
workdir=$(mktemp -d /tmp/tahaluf-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$workdir"
  as_pg=(runuser -u postgres --)
  owner=postgres
else
  owner=$(id -un)
fi
stop() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT
"${as_pg[@]}" "$PG_BIN/initdb" -D "$workdir/data" -U "$owner" --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/log" -w \
  -o "-k $workdir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"${as_pg[@]}" "$PG_BIN/createdb" -h "$workdir" -U "$owner" tahaluf
export TAHALUF_DATABASE_URL="postgres://$owner@/tahaluf?host=$workdir"
"$@"
