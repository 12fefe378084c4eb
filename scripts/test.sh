#!/usr/bin/env bash
# Every test Waypoint has: unit, integration over HTTP on SQLite and on PostgreSQL, and browser
# tests in Chromium. Installs what is missing (Debian's postgresql and chromium, as root),
# starts a throwaway PostgreSQL on a free loopback port, stops it afterwards, and ends with
# "N passed, N failed" on its own line. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '%s\n' "$*" >&2; }

need_packages=()
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || need_packages+=(postgresql)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing ${need_packages[*]} (Debian packages)..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null \
      || { say "Could not install ${need_packages[*]}."; echo "0 passed, 1 failed"; exit 1; }
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  else
    say "Missing: ${need_packages[*]}. Install them (Debian: apt-get install ${need_packages[*]}) and run again."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# A throwaway PostgreSQL: its own data folder, a free port on 127.0.0.1, gone when the tests end.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || { echo "$port"; return; }
  done
  return 1
}
pg_dir=$(mktemp -d /tmp/waypoint-pg.XXXXXX)
pg_port=$(free_port)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
stop_pg() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
  && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
       -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
  || { say "PostgreSQL did not start:"; cat "$pg_dir/log" >&2; echo "0 passed, 1 failed"; exit 1; }

export WAYPOINT_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Include Error Detail=true"
export WAYPOINT_CHROMIUM="${WAYPOINT_CHROMIUM:-$(command -v chromium)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Every test class starts its own app, and each app watches its files; inotify allows 128 instances
# per user, which the suite outgrew (hosts then fail with 500s). Polling watchers use none.
export DOTNET_USE_POLLING_FILE_WATCHER=true

results="$root/.artifacts/test-results"
rm -rf "$results"
dotnet test "$root/Waypoint.slnx" --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or the runner failed before any test could report
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
