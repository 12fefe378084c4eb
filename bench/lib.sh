# What bench/run-pages.sh and bench/run-person-page.sh share: wrk, their own PostgreSQL (with
# pg_stat_statements), the Release build and the data set, the app on a free loopback port,
# signing in, one wrk run with its statements counted, and the table of results.
# Sourced, not run. The caller sets, before bench_setup:
#   scale state pg_port pg_database app_data work   (and optionally NO_BUILD, APP_DLL, KEEP_POSTGRES)
# and gets: pg (psql on the bench server), pg_server, app_dll, base, app_pid, stats.
# shellcheck shell=bash

bench_install_wrk() {
  command -v wrk >/dev/null && return
  echo "Installing wrk (Debian package)..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null; }
  else sudo apt-get install -y -qq wrk >/dev/null; fi
  command -v wrk >/dev/null || { echo "wrk could not be installed." >&2; exit 1; }
}

app_pid=""
own_pg=""
pg_bin=""
bench_cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$own_pg" ] && [ -z "${KEEP_POSTGRES:-}" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}

# Without WAYPOINT_BENCH_POSTGRES_SERVER: a PostgreSQL of the bench's own in $state/pg on $pg_port
# (created once, started if stopped, stopped at the end unless KEEP_POSTGRES is set).
bench_start_postgres() {
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
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $state/pg -c fsync=off -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" >/dev/null
      own_pg=1
    fi
  fi
  psql_args=$(echo "$pg_server" | sed -E 's/Host=([^;]*);Port=([^;]*);Username=([^;]*).*/-h \1 -p \2 -U \3/')
}
# shellcheck disable=SC2086
pg() { PGOPTIONS="-c client_min_messages=warning" psql $psql_args -X -qAt "$@"; }

# The Release build (unless NO_BUILD; APP_DLL runs another copy, say one kept apart while the tree is rebuilt) and the app's settings.
bench_build() {
  if [ -z "${NO_BUILD:-}" ]; then
    echo "Building (Release)..." >&2
    dotnet build src/Waypoint.Web -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  fi
  app_dll=${APP_DLL:-$root/src/Waypoint.Web/bin/Release/net10.0/Waypoint.Web.dll}
  export ASPNETCORE_ENVIRONMENT=Production
  export WAYPOINT_Database__Provider=Postgres
  export WAYPOINT_ConnectionStrings__Waypoint="$pg_server;Database=$pg_database"
  export WAYPOINT_Waypoint__DataFolder="$app_data"
  export WAYPOINT_Bench__Baseline=true
  export WAYPOINT_Logging__LogLevel__Default=Warning
  # One line per method the JIT compiles: the warm-up goes on until a pass compiles next to nothing.
  export DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$work/jit.txt"
}

# Warms every endpoint ($warmup each), then keeps warming in passes of 3 s an endpoint until a
# pass compiles fewer than 15 methods a second (tiered compilation promotes a big app's methods for
# a minute or more at tens of requests a second: JIT took half the app's CPU in the first 60 s of a
# run; rarely taken paths, a pupil with relatives, still trickle in after), or WARMUP_MAX seconds
# (default 180) have gone. A server runs warm: measure it warm. Needs run() and $endpoints.
bench_warm() {
  local started before after limit
  started=$(date +%s)
  limit=$((15 * 3 * $(echo $endpoints | wc -w)))
  echo "Warming up ($warmup each, then until the JIT settles)..." >&2
  for e in $endpoints; do run "$e" "$warmup" >/dev/null; done
  while :; do
    before=$(wc -l <"$work/jit.txt" 2>/dev/null || echo 0)
    for e in $endpoints; do run "$e" 3s >/dev/null; done
    after=$(wc -l <"$work/jit.txt" 2>/dev/null || echo 0)
    if [ $((after - before)) -lt "$limit" ]; then
      echo "  warm after $(($(date +%s) - started)) s ($((after - before)) methods compiled in the last pass, $after in all)" >&2
      break
    fi
    if [ $(($(date +%s) - started)) -ge "${WARMUP_MAX:-180}" ]; then
      echo "  still compiling after $(($(date +%s) - started)) s ($((after - before)) methods in the last pass): measured anyway" >&2
      break
    fi
  done
}

# The data set of $scale in $pg_database, generated once and kept.
bench_generate() {
  local people started
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
}

# Statements are counted per request when the server has pg_stat_statements loaded.
bench_stats_init() {
  stats=""
  if [ "$(pg -d postgres -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_stat_statements'")" = 1 ] &&
    pg -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 &&
    pg -d postgres -c "SELECT count(*) FROM pg_stat_statements" >/dev/null 2>&1; then
    stats=1
  else
    echo "pg_stat_statements is not loaded on this server: statements per request are not counted." >&2
  fi
}

# The app on a free port of 127.0.0.1, once it answers /health/ready.
bench_start_app() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || break
  done
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
}

bench_setup() {
  bench_install_wrk
  mkdir -p "$state"
  trap bench_cleanup EXIT
  bench_start_postgres
  bench_build
  bench_generate
}

totp() { # secret, time steps ahead (an authenticator code is accepted once: a second sign-in uses the next)
  python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1])
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + int(sys.argv[2])), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}

# A bench database forgets the last code an account used, so that runs less than a minute apart can sign in.
bench_forget_codes() { # accounts...
  local a
  for a in "$@"; do
    pg -d "$pg_database" -c "UPDATE \"AspNetUsers\" SET \"LastAuthenticatorStep\" = NULL WHERE \"NormalizedEmail\" = upper('$a')" >/dev/null
  done
}

# The app takes bench requests as HTTPS (as behind a TLS proxy) and sets Secure cookies, which
# curl neither keeps nor sends over http: they are kept here from the Set-Cookie headers.
form_token() { grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed -E 's/.*value="([^"]*)".*/\1/'; }
bench_sign_in() { # account password totp-secret -> the signed-in Cookie header value
  local jar=$work/cookies-$1 af
  : >"$jar"
  cookies() { awk -F= '{ v[$1] = substr($0, length($1) + 2) } END { for (k in v) printf "%s%s=%s", (n++ ? "; " : ""), k, v[k] }' "$jar"; }
  browse() {
    curl -fs -D "$work/headers" -H "Cookie: $(cookies)" "$@"
    tr -d '\r' <"$work/headers" | sed -nE 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/p' >>"$jar"
  }
  af=$(browse "$base/sign-in" | form_token)
  browse -o /dev/null "$base/sign-in" --data-urlencode "Email=$1" --data-urlencode "Password=$2" --data-urlencode "__RequestVerificationToken=$af"
  af=$(browse "$base/sign-in/code" | form_token)
  browse -o /dev/null "$base/sign-in/code" --data-urlencode "Code=$(totp "$3" 1)" --data-urlencode "__RequestVerificationToken=$af"
  cookies
}
bench_token() { # account password totp-secret -> a bearer token
  local token
  token=$(curl -fs "$base/api/v1/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\",\"code\":\"$(totp "$3" 0)\"}" | jq -r .accessToken || true)
  [ -n "$token" ] && [ "$token" != null ] || { echo "Could not get a bearer token." >&2; exit 1; }
  echo "$token"
}

# ms from wrk's "12.34ms" / "850.00us" / "1.02s"
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else if (v ~ /m$/) { sub(/m$/,"",v); print v*60000 } }'; }

# One wrk run: endpoint duration list prefix header -> "rps p50 p99 statements/request discards/request"
# (statements from pg_stat_statements, reset before the run; KEEP_STATEMENTS appends the costliest).
bench_wrk() {
  local name=$1 duration=$2 list=$3 prefix=$4 header=$5 out
  [ -z "$stats" ] || pg -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout "${TIMEOUT:-10s}" --latency -H "$header" -s bench/load/rotate.lua "$base" -- "$list" "$prefix" "")
  echo "$out" >>"$work/wrk.log"
  local rps p50 p99 errors requests statements="-" discards="-"
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)
  requests=$(echo "$out" | awk '/requests in/ { print $1 }')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { print $5 }')
  [ -z "$errors" ] || { echo "$name: $errors non-2xx responses" >&2; echo "$out" >&2; exit 1; }
  [ "${requests:-0}" -gt 0 ] || { echo "$name: no request answered within the timeout in $duration" >&2; echo "0 0 0 - -"; return; }
  if [ -n "$stats" ]; then
    read -r statements discards < <(pg -d postgres -F' ' -c "SELECT coalesce(sum(s.calls) FILTER (WHERE s.query !~* '^\s*discard all'), 0) / $requests::numeric,
        coalesce(sum(s.calls) FILTER (WHERE s.query ~* '^\s*discard all'), 0) / $requests::numeric
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$pg_database'")
    [ -z "${KEEP_STATEMENTS:-}" ] || pg -d postgres -c "SELECT '$name', s.calls, round(s.mean_exec_time::numeric, 3) AS mean_exec_ms, round(s.total_exec_time::numeric, 1) AS exec_ms, round(s.total_plan_time::numeric, 1) AS plan_ms, left(regexp_replace(s.query, '[[:space:]]+', ' ', 'g'), 300) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$pg_database' ORDER BY s.total_exec_time DESC LIMIT 25" >>"$KEEP_STATEMENTS"
  fi
  echo "$rps $p50 $p99 $statements $discards"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$work/result-$1" | median; }
spread() { awk -v c="$2" '{ print $c }' "$work/result-$1" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR > 1) printf "%.0f–%.0f", lo, hi; else printf "-" }'; }

# The table: one line per endpoint (label from the caller's label function), the ratio to the baseline's req/s.
bench_print_results() { # endpoints...
  local e rps ratio stm dis baseline_rps=""
  printf '  %-36s %9s %13s %9s %9s %11s %9s %9s\n' "" "req/s" "(spread)" "p50 ms" "p99 ms" "stmts/req" "resets" "ratio"
  [ -s "$work/result-baseline" ] && baseline_rps=$(col baseline 1)
  for e in "$@"; do
    rps=$(col "$e" 1)
    ratio="-"
    [ -z "$baseline_rps" ] || ratio=$(awk -v a="$rps" -v b="$baseline_rps" 'BEGIN { printf "%.3f", a / b }')
    stm=$(col "$e" 4); dis=$(col "$e" 5)
    printf '  %-36s %9.0f %13s %9.2f %9.2f %11s %9s %9s\n' "$(label "$e")" "$rps" "$(spread "$e" 1)" "$(col "$e" 2)" "$(col "$e" 3)" \
      "$(awk -v v="$stm" 'BEGIN { if (v == "-") print v; else printf "%.1f", v }')" "$(awk -v v="$dis" 'BEGIN { if (v == "-") print v; else printf "%.1f", v }')" "$ratio"
  done
}
