#!/usr/bin/env bash
# The pages people open all day besides the person page (issue 18), under loopback load, each as
# the reader with the most to see, against the one-indexed-query yardstick of the same run:
#   baseline   GET /bench/baseline?id=   one indexed query and a 2 KB page, no token, no reader
#   case       GET /cases/{id}           as the county-wide hub practitioner, over many open cases
#   mywork     GET /my-work              the hub practitioner (every open case in the county is theirs to see)
#   hub        GET /hub                  the hub's queue, the same reader
#   home       GET /                     the same reader
#   alerts     GET /alerts               the DSL of the secondary school (the school with the most alerts)
#   home-dsl, mywork-dsl                 the DSL's home and My work
#   dashboard  GET /schools/dashboard    the council's inclusion officer (county-wide)
#   search, search-dob                   GET /api/v1/people?name=[&dateOfBirth=], the hub (sees everyone), with the audit
# At county scale (217k people, generated once and kept) with a caseload added once by
# bench/load/pages-workload.sql (referrals, cases with their plans and history, alerts). One line
# per endpoint: req/s, p50, p99, statements and DISCARD ALLs per request (pg_stat_statements), the
# ratio to the baseline. Release build, Kestrel on 127.0.0.1 only. See bench/README.md section 6.
#
#   bench/run-pages.sh
#   ENDPOINTS="baseline case hub" DURATION=10s bench/run-pages.sh
#   SCALE=million ENDPOINTS="baseline search search-dob" bench/run-pages.sh
#
# Its PostgreSQL (with pg_stat_statements) lives in $BENCH_STATE/pg on port $BENCH_PGPORT, apart
# from bench/run-person-page.sh's, so that the two can run without touching each other's data.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scale=${SCALE:-county}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-2}
warmup=${WARMUP:-5s}
rounds=${ROUNDS:-1}
id_count=${IDS:-400}
endpoints=${ENDPOINTS:-baseline case mywork hub alerts home home-dsl}
state=${BENCH_STATE:-/tmp/waypoint-bench-pages}
pg_port=${BENCH_PGPORT:-55434}
pg_database=waypoint_bench_$scale
app_data=$state/app-data-$scale
hub_account=hub@nenshire.demo
dsl_account=dsl@brackton-academy.demo
officer_account=inclusion.officer@nenshire.demo
password=amber-otter-lantern
totp_secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null; }
  else sudo apt-get install -y -qq wrk >/dev/null; fi
  command -v wrk >/dev/null || { echo "wrk could not be installed." >&2; exit 1; }
fi

mkdir -p "$state"
work=$(mktemp -d /tmp/waypoint-bench-pages-web.XXXXXX)
app_pid=""
own_pg=""
pg_bin=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$own_pg" ] && [ -z "${KEEP_POSTGRES:-}" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

pg_server=${WAYPOINT_BENCH_POSTGRES_SERVER:-}
if [ -z "$pg_server" ]; then
  pg_server="Host=127.0.0.1;Port=$pg_port;Username=postgres"
  pg_bin=$(dirname "$(dpkg -L "$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'postgresql-[0-9][0-9]' | awk '/^ii/{print $2}' | sort -V | tail -1)" | grep '/bin/initdb$')")
  if [ ! -d "$state/pg/data" ]; then
    mkdir -p "$state/pg" && chown postgres:postgres "$state/pg"
    runuser -u postgres -- "$pg_bin/initdb" -D "$state/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -l "$state/pg/log" -w start \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $state/pg -c fsync=off -c max_connections=300 -c shared_preload_libraries=pg_stat_statements" >/dev/null
    own_pg=1
  fi
fi
psql_args=$(echo "$pg_server" | sed -E 's/Host=([^;]*);Port=([^;]*);Username=([^;]*).*/-h \1 -p \2 -U \3/')
# shellcheck disable=SC2086
pg() { PGOPTIONS="-c client_min_messages=warning" psql $psql_args -X -qAt "$@"; }

if [ -z "${NO_BUILD:-}" ]; then
  echo "Building (Release)..." >&2
  dotnet build src/Waypoint.Web -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
app_dll=$root/src/Waypoint.Web/bin/Release/net10.0/Waypoint.Web.dll

export ASPNETCORE_ENVIRONMENT=Production
export WAYPOINT_Database__Provider=Postgres
export WAYPOINT_ConnectionStrings__Waypoint="$pg_server;Database=$pg_database"
export WAYPOINT_Waypoint__DataFolder="$app_data"
export WAYPOINT_Bench__Baseline=true
export WAYPOINT_Logging__LogLevel__Default=Warning

people=$(pg -d "$pg_database" -c 'SELECT count(*) FROM "People"' 2>/dev/null || echo 0)
if [ "$people" -lt 1000 ] || [ ! -d "$app_data" ]; then
  echo "Generating the $scale data set in $pg_database (once)..." >&2
  pg -d postgres -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" -c "CREATE DATABASE $pg_database"
  rm -rf "$app_data"
  started=$(date +%s)
  (cd src/Waypoint.Web && dotnet "$app_dll" generate --scale "$scale") >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; exit 1; }
  echo "  generated in $(($(date +%s) - started)) s" >&2
  pg -d "$pg_database" -c "VACUUM ANALYZE" >/dev/null
fi

free_port() {
  for _ in $(seq 1 50); do
    local port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || { echo "$port"; return; }
  done
  return 1
}
port=$(free_port)
base="http://127.0.0.1:$port"
echo "Starting the app on $base ($pg_database)..." >&2
(cd src/Waypoint.Web && exec dotnet "$app_dll" --urls "$base") >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 600); do
  curl -fs "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "$base/health/ready" >/dev/null || { echo "The app did not become ready." >&2; exit 1; }

# The caseload, once (after the app has migrated the database): marked by the bench's own referrals.
if [ "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Referrals\" WHERE \"WhatIsKnown\" LIKE 'Bench caseload%'")" = 0 ]; then
  echo "Adding the caseload (referrals, cases, plans, alerts; once)..." >&2
  started=$(date +%s)
  pg -d "$pg_database" -v ON_ERROR_STOP=1 -f bench/load/pages-workload.sql >"$work/workload.log" 2>&1 || { cat "$work/workload.log" >&2; exit 1; }
  pg -d "$pg_database" -c "VACUUM ANALYZE" >/dev/null
  echo "  added in $(($(date +%s) - started)) s" >&2
fi

stats=""
if [ "$(pg -d postgres -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_stat_statements'")" = 1 ] &&
  pg -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 &&
  pg -d postgres -c "SELECT count(*) FROM pg_stat_statements" >/dev/null 2>&1; then
  stats=1
else
  echo "pg_stat_statements is not loaded on this server: statements per request are not counted." >&2
fi

totp() { # secret, time steps ahead (an authenticator code is accepted once)
  python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1])
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + int(sys.argv[2])), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}
# A bench database forgets the last code used, so that runs less than a minute apart can sign in.
for a in $hub_account $dsl_account $officer_account; do
  pg -d "$pg_database" -c "UPDATE \"AspNetUsers\" SET \"LastAuthenticatorStep\" = NULL WHERE \"NormalizedEmail\" = upper('$a')" >/dev/null
done

# The app takes bench requests as HTTPS (as behind a TLS proxy) and sets Secure cookies, which
# curl neither keeps nor sends over http: they are kept here from the Set-Cookie headers.
form_token() { grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed -E 's/.*value="([^"]*)".*/\1/'; }
sign_in() { # account -> the signed-in Cookie header value
  local jar=$work/cookies-$1 af
  : >"$jar"
  cookies() { awk -F= '{ v[$1] = substr($0, length($1) + 2) } END { for (k in v) printf "%s%s=%s", (n++ ? "; " : ""), k, v[k] }' "$jar"; }
  browse() {
    curl -fs -D "$work/headers" -H "Cookie: $(cookies)" "$@"
    tr -d '\r' <"$work/headers" | sed -nE 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/p' >>"$jar"
  }
  af=$(browse "$base/sign-in" | form_token)
  browse -o /dev/null "$base/sign-in" --data-urlencode "Email=$1" --data-urlencode "Password=$password" --data-urlencode "__RequestVerificationToken=$af"
  af=$(browse "$base/sign-in/code" | form_token)
  browse -o /dev/null "$base/sign-in/code" --data-urlencode "Code=$(totp $totp_secret 1)" --data-urlencode "__RequestVerificationToken=$af"
  cookies
}
hub_cookie=$(sign_in $hub_account)
dsl_cookie=$(sign_in $dsl_account)
officer_cookie=""
case " $endpoints " in *" dashboard "*) officer_cookie=$(sign_in $officer_account) ;; esac
token=""
case " $endpoints " in *" search"*)
  token=$(curl -fs "$base/api/v1/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$hub_account\",\"password\":\"$password\",\"code\":\"$(totp $totp_secret 0)\"}" | jq -r .accessToken || true)
  [ -n "$token" ] && [ "$token" != null ] || { echo "Could not get a bearer token." >&2; exit 1; } ;;
esac

# Ids: people for the baseline, the bench's open cases, and searches for people of the county.
pg -d "$pg_database" -c "SELECT \"Id\" FROM \"People\" ORDER BY md5(\"Id\"::text) LIMIT $id_count" >"$work/ids"
pg -d "$pg_database" -c "SELECT \"Id\" FROM \"Cases\" WHERE \"Status\" = 'Open' ORDER BY md5(\"Id\"::text) LIMIT $id_count" >"$work/cases"
pg -d "$pg_database" -c "SELECT 'name=' || p.\"FamilyName\", 'name=' || p.\"GivenName\" || '%20' || p.\"FamilyName\" || '&dateOfBirth=' || p.\"DateOfBirth\"
  FROM \"People\" p WHERE p.\"DateOfBirth\" IS NOT NULL ORDER BY md5(p.\"Id\"::text) LIMIT $id_count" -F' ' >"$work/searches"
cut -d' ' -f1 "$work/searches" >"$work/search-name"
cut -d' ' -f2 "$work/searches" >"$work/search-dob"
echo "my-work" >"$work/path-my-work"
echo "hub" >"$work/path-hub"
echo "alerts" >"$work/path-alerts"
echo "?home" >"$work/path-home"
echo "schools/dashboard" >"$work/path-dashboard"

target() { # endpoint -> "list prefix header"
  case "$1" in
    baseline) echo "$work/ids|/bench/baseline?id=|X-Bench: baseline" ;;
    case) echo "$work/cases|/cases/|Cookie: $hub_cookie" ;;
    mywork) echo "$work/path-my-work|/|Cookie: $hub_cookie" ;;
    hub) echo "$work/path-hub|/|Cookie: $hub_cookie" ;;
    home) echo "$work/path-home|/|Cookie: $hub_cookie" ;;
    alerts) echo "$work/path-alerts|/|Cookie: $dsl_cookie" ;;
    home-dsl) echo "$work/path-home|/|Cookie: $dsl_cookie" ;;
    mywork-dsl) echo "$work/path-my-work|/|Cookie: $dsl_cookie" ;;
    dashboard) echo "$work/path-dashboard|/|Cookie: $officer_cookie" ;;
    search) echo "$work/search-name|/api/v1/people?|Authorization: Bearer $token" ;;
    search-dob) echo "$work/search-dob|/api/v1/people?|Authorization: Bearer $token" ;;
    *) echo "Unknown endpoint $1 (baseline case mywork hub home alerts home-dsl mywork-dsl dashboard search search-dob)" >&2; exit 1 ;;
  esac
}
label() {
  case "$1" in
    baseline) echo "1 indexed query + 2 KB (no token)" ;;
    case) echo "GET /cases/{id} (hub)" ;;
    mywork) echo "GET /my-work (hub)" ;;
    hub) echo "GET /hub (hub)" ;;
    home) echo "GET / (hub)" ;;
    alerts) echo "GET /alerts (DSL)" ;;
    home-dsl) echo "GET / (DSL)" ;;
    mywork-dsl) echo "GET /my-work (DSL)" ;;
    dashboard) echo "GET /schools/dashboard (inclusion)" ;;
    search) echo "GET /api/v1/people?name= (hub)" ;;
    search-dob) echo "GET /api/v1/people?name=&dateOfBirth=" ;;
  esac
}

for e in $endpoints; do
  [ "$e" = baseline ] && continue
  IFS='|' read -r list prefix header < <(target "$e")
  url="$base$prefix$(head -1 "$list")"
  status=$(curl -s -o "$work/check.html" -w '%{http_code}' -H "$header" "$url")
  [ "$status" = 200 ] || { echo "$e: $url answered $status, expected 200." >&2; exit 1; }
done

to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else if (v ~ /m$/) { sub(/m$/,"",v); print v*60000 } }'; }

run() { # endpoint duration -> "rps p50 p99 statements/request discards/request"
  local list prefix header out
  IFS='|' read -r list prefix header < <(target "$1")
  [ -z "$stats" ] || pg -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
  out=$(wrk -t"$threads" -c"$connections" -d"$2" --timeout "${TIMEOUT:-10s}" --latency -H "$header" -s bench/load/rotate.lua "$base" -- "$list" "$prefix" "")
  echo "$out" >>"$work/wrk.log"
  local rps p50 p99 errors requests statements="-" discards="-"
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)
  requests=$(echo "$out" | awk '/requests in/ { print $1 }')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { print $5 }')
  [ -z "$errors" ] || { echo "$1: $errors non-2xx responses" >&2; echo "$out" >&2; exit 1; }
  [ "${requests:-0}" -gt 0 ] || { echo "$1: no request answered within the timeout in $2" >&2; echo "0 0 0 - -"; return; }
  if [ -n "$stats" ]; then
    read -r statements discards < <(pg -d postgres -F' ' -c "SELECT coalesce(sum(s.calls) FILTER (WHERE s.query !~* '^\s*discard all'), 0) / $requests::numeric,
        coalesce(sum(s.calls) FILTER (WHERE s.query ~* '^\s*discard all'), 0) / $requests::numeric
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$pg_database'")
    [ -z "${KEEP_STATEMENTS:-}" ] || pg -d postgres -c "SELECT '$1', s.calls, round(s.mean_exec_time::numeric, 3) AS mean_exec_ms, round(s.total_exec_time::numeric, 1) AS exec_ms, left(regexp_replace(s.query, '[[:space:]]+', ' ', 'g'), 300) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$pg_database' ORDER BY s.total_exec_time DESC LIMIT 25" >>"$KEEP_STATEMENTS"
  fi
  echo "$rps $p50 $p99 $statements $discards"
}

echo "Warming up ($warmup each)..." >&2
for e in $endpoints; do run "$e" "$warmup" >/dev/null; done
[ -z "${KEEP_STATEMENTS:-}" ] || : >"$KEEP_STATEMENTS"

echo "Measuring ($rounds round(s) of $duration each, $connections connections, $threads threads)..." >&2
for r in $(seq 1 "$rounds"); do
  for e in $endpoints; do run "$e" "$duration" >>"$work/result-$e"; done
done
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status")

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$work/result-$1" | median; }

printf '\nPages under loopback load, %s, %s UTC, %s cores (load average %s), %s (%s people, %s open cases, %s referrals awaiting triage, %s open alerts), wrk -t%s -c%s -d%s, median of %s, peak working set %s MB\n' \
  "$(git rev-parse --short HEAD)" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$pg_database" \
  "$(pg -d "$pg_database" -c 'SELECT count(*) FROM "People"')" "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Cases\" WHERE \"Status\" = 'Open'")" \
  "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Referrals\" WHERE \"Status\" = 'AwaitingTriage'")" \
  "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Alerts\" WHERE \"Status\" <> 'Closed'")" "$threads" "$connections" "$duration" "$rounds" "$hwm"
printf '  %-36s %9s %9s %9s %11s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms" "stmts/req" "resets" "ratio"
baseline_rps=""
[ -s "$work/result-baseline" ] && baseline_rps=$(col baseline 1)
for e in $endpoints; do
  rps=$(col "$e" 1)
  ratio="-"
  [ -z "$baseline_rps" ] || ratio=$(awk -v a="$rps" -v b="$baseline_rps" 'BEGIN { printf "%.3f", a / b }')
  stm=$(col "$e" 4); dis=$(col "$e" 5)
  printf '  %-36s %9.0f %9.2f %9.2f %11s %9s %9s\n' "$(label "$e")" "$rps" "$(col "$e" 2)" "$(col "$e" 3)" \
    "$(awk -v v="$stm" 'BEGIN { if (v == "-") print v; else printf "%.1f", v }')" "$(awk -v v="$dis" 'BEGIN { if (v == "-") print v; else printf "%.1f", v }')" "$ratio"
done
