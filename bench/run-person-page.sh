#!/usr/bin/env bash
# Person page under loopback load: GET /api/v1/people/{id} (a person read through the access
# policy, with its audit rows) against /health/live (the bare pipeline) in the same run, same
# app, same wrk settings; GET /api/v1/me (bearer token, the per-request account check, one
# query) sits between them to show what authentication alone costs. Release build, Kestrel on 127.0.0.1 only, the demo partnership on a
# fresh database, bounded in time. See bench/README.md.
#
#   bench/run-person-page.sh                     # PostgreSQL (database waypoint_bench_web)
#   PROVIDER=sqlite bench/run-person-page.sh     # SQLite in a temporary folder
#   DURATION=20s CONNECTIONS=8 THREADS=2 WARMUP=5s bench/run-person-page.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

provider=${PROVIDER:-postgres}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-2}
warmup=${WARMUP:-5s}
pg_server=${WAYPOINT_BENCH_POSTGRES_SERVER:-Host=127.0.0.1;Port=55432;Username=postgres}
pg_database=waypoint_bench_web
account=dsl@brackton-academy.demo
password=amber-otter-lantern
totp_secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP

command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)." >&2; exit 1; }

free_port() {
  for _ in $(seq 1 50); do
    local port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || { echo "$port"; return; }
  done
  return 1
}

work=$(mktemp -d /tmp/waypoint-bench-web.XXXXXX)
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building (Release)..." >&2
dotnet build src/Waypoint.Web -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

export ASPNETCORE_ENVIRONMENT=Production
case "$provider" in
  postgres)
    psql_args=$(echo "$pg_server" | sed -E 's/Host=([^;]*);Port=([^;]*);Username=([^;]*).*/-h \1 -p \2 -U \3/')
    # shellcheck disable=SC2086
    PGOPTIONS="-c client_min_messages=warning" psql $psql_args -d postgres -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" -c "CREATE DATABASE $pg_database" >/dev/null
    export WAYPOINT_Database__Provider=Postgres
    export WAYPOINT_ConnectionStrings__Waypoint="$pg_server;Database=$pg_database"
    ;;
  sqlite)
    export WAYPOINT_Database__Provider=Sqlite
    export WAYPOINT_Waypoint__DataFolder="$work/data"
    ;;
  *) echo "PROVIDER must be postgres or sqlite" >&2; exit 1 ;;
esac

port=$(free_port)
base="http://127.0.0.1:$port"
echo "Starting the app on $base ($provider, demo partnership)..." >&2
(cd src/Waypoint.Web && exec dotnet bin/Release/net10.0/Waypoint.Web.dll --demo --urls "$base") >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 600); do
  curl -fs "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "$base/health/ready" >/dev/null || { echo "The app did not become ready." >&2; exit 1; }

totp() {
  python3 - "$1" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1])
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}
token=$(curl -fs "$base/api/v1/token" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$account\",\"password\":\"$password\",\"code\":\"$(totp $totp_secret)\"}" | jq -r .accessToken)
[ -n "$token" ] && [ "$token" != null ] || { echo "Could not get a bearer token." >&2; exit 1; }
auth="Authorization: Bearer $token"

# A pupil the DSL may see, found the way a client would: by searching.
person=$(curl -fs -H "$auth" "$base/api/v1/people?name=a" | jq -r '[.[] | select(.kind == "YoungPerson")][0].id')
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/api/v1/people/$person")
[ "$status" = 200 ] || { echo "GET /api/v1/people/$person answered $status, expected 200." >&2; exit 1; }

# ms from wrk's "12.34ms" / "850.00us" / "1.02s"
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else if (v ~ /m$/) { sub(/m$/,"",v); print v*60000 } }'; }

run() { # name url duration -> prints "rps p50ms p99ms"
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$3" --latency -H "$auth" "$2")
  echo "$out" >>"$work/wrk.log"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { print $5 }')
  [ -z "$errors" ] || { echo "$1: $errors non-2xx responses" >&2; echo "$out" >&2; exit 1; }
  echo "$rps $p50 $p99"
}

echo "Warming up ($warmup each)..." >&2
run warmup "$base/health/live" "$warmup" >/dev/null
run warmup "$base/api/v1/me" "$warmup" >/dev/null
run warmup "$base/api/v1/people/$person" "$warmup" >/dev/null

echo "Measuring ($duration each, $connections connections, $threads threads)..." >&2
read -r bare_rps bare_p50 bare_p99 < <(run bare "$base/health/live" "$duration")
read -r me_rps me_p50 me_p99 < <(run me "$base/api/v1/me" "$duration")
read -r page_rps page_p50 page_p99 < <(run person "$base/api/v1/people/$person" "$duration")

printf '\nPerson page under loopback load, %s, %s UTC, %s cores (load average %s), provider %s, wrk -t%s -c%s -d%s\n' \
  "$(git rev-parse --short HEAD)" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$provider" "$threads" "$connections" "$duration"
printf '  %-34s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-34s %10.0f %9.2f %9.2f\n' "GET /health/live (bare)" "$bare_rps" "$bare_p50" "$bare_p99"
printf '  %-34s %10.0f %9.2f %9.2f\n' "GET /api/v1/me (auth, 1 query)" "$me_rps" "$me_p50" "$me_p99"
printf '  %-34s %10.0f %9.2f %9.2f\n' "GET /api/v1/people/{id}" "$page_rps" "$page_p50" "$page_p99"
awk -v a="$page_rps" -v b="$bare_rps" -v c="$page_p99" -v d="$bare_p99" \
  'BEGIN { printf "  throughput person/bare: %.3f (bare is %.1fx); p99 person/bare: %.1fx\n", a/b, b/a, c/d }'
if [ "$provider" = postgres ]; then
  # shellcheck disable=SC2086
  PGOPTIONS="-c client_min_messages=warning" psql $psql_args -d postgres -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null
fi
