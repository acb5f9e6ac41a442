#!/usr/bin/env bash
# Starts a private, throw-away PostgreSQL server for the study-store tests and prints the connection string.
# Idempotent: a server already answering on the port is reused. Usage (CI):
#   export SEQREC_TEST_POSTGRES="$(bash scripts/start-postgres.sh)"
# Settings: SEQREC_PG_PORT (54329), SEQREC_PG_DATA (/var/lib/seqrec-postgres as root, else ~/.cache/seqrec-postgres:
# never a world-writable place, where another user could plant a link for root's chown). Trust authentication on
# 127.0.0.1 only.
set -euo pipefail

port="${SEQREC_PG_PORT:-54329}"
if [ "$(id -u)" -eq 0 ]; then default_data=/var/lib/seqrec-postgres; else default_data="${XDG_CACHE_HOME:-$HOME/.cache}/seqrec-postgres"; fi
data="${SEQREC_PG_DATA:-$default_data}"
database=seqrec_test
log() { echo "start-postgres: $*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  log "installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [ ! -s "$data/PG_VERSION" ]; then
    log "initialising $data"
    if [ -L "$data" ]; then log "refusing $data: it is a symbolic link"; exit 1; fi
    mkdir -p "$(dirname "$data")"
    [ -d "$data" ] || mkdir -m 700 "$data"
    owner=$(stat -c %U "$data")
    if [ "$owner" != "$(id -un)" ] && [ "$owner" != postgres ]; then log "refusing $data: owned by $owner"; exit 1; fi
    if [ "$(id -u)" -eq 0 ]; then chown -h postgres:postgres "$data"; fi
    as_owner "$bin/initdb" -D "$data" -U postgres -A trust --no-sync >&2
  fi
  rm -f "$data/postmaster.pid" 2>/dev/null || true   # left behind by a killed server; the port check above says none runs
  log "starting on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
fi

echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
