#!/usr/bin/env bash
# Runs the integration tests that need real servers (npm run test:services):
# installs Debian's postgresql and redis-server when missing, starts a throw-away PostgreSQL
# and Redis on 127.0.0.1 (non-default ports, data in a temp dir), runs the tests, then stops
# both servers and deletes their data, whatever the outcome.
#
#   bash scripts/services.sh            # from .ci/run, as root (or a user that can run initdb)
#
# Ports: ALIPAY_NOTIFY_PG_PORT (default 54329), ALIPAY_NOTIFY_REDIS_PORT (default 63799).
# To use servers you already run instead, call `npm run test:services` yourself with
# ALIPAY_NOTIFY_TEST_PG_URL and ALIPAY_NOTIFY_TEST_REDIS_URL set.
set -euo pipefail
cd "$(dirname "$0")/.."
started_at=$SECONDS

PG_PORT=${ALIPAY_NOTIFY_PG_PORT:-54329}
REDIS_PORT=${ALIPAY_NOTIFY_REDIS_PORT:-63799}
PG_DB=alipay_notify_test

log() { echo "[services] $*"; }

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# 1. Install what is missing (Debian packages; never start their default daemons).
missing=()
[ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # Keep apt from starting the packages' own services on the default ports.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
fi
PG_BIN=$(pg_bindir)

# 2. Start both servers on loopback, with data in a temp dir.
work=$(mktemp -d /tmp/alipay-notify-services.XXXXXX)
chmod 755 "$work"
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_started=
redis_started=
cleanup() {
  status=$?
  if [ -n "$pg_started" ]; then as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if [ -n "$redis_started" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$work/redis.pid" 2>/dev/null)" 2>/dev/null || true
  fi
  if [ $status -ne 0 ]; then
    for f in "$work/run/pg.log" "$work/redis.log"; do [ -f "$f" ] && { echo "--- $f (tail)"; tail -n 20 "$f"; }; done
  fi
  rm -rf "$work"
  log "servers stopped; total $((SECONDS - started_at))s"
  exit $status
}
trap cleanup EXIT

mkdir -p "$work/pg" "$work/run"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg" "$work/run"
as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-sync >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w -t 60 start \
  -o "-p $PG_PORT -k $work/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
pg_started=1
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work" >/dev/null
redis_started=1
for _ in $(seq 1 100); do
  [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping)" = PONG ]
log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT (ready after $((SECONDS - started_at))s)"

# 3. Run the tests against them.
export ALIPAY_NOTIFY_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
export ALIPAY_NOTIFY_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
npm run --silent test:services
