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

work=$(mktemp -d /tmp/waypoint-bench-pages-web.XXXXXX)
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup
bench_stats_init
bench_start_app

# The caseload, once (after the app has migrated the database): marked by the bench's own referrals.
if [ "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Referrals\" WHERE \"WhatIsKnown\" LIKE 'Bench caseload%'")" = 0 ]; then
  echo "Adding the caseload (referrals, cases, plans, alerts; once)..." >&2
  started=$(date +%s)
  pg -d "$pg_database" -v ON_ERROR_STOP=1 -f bench/load/pages-workload.sql >"$work/workload.log" 2>&1 || { cat "$work/workload.log" >&2; exit 1; }
  pg -d "$pg_database" -c "VACUUM ANALYZE" >/dev/null
  echo "  added in $(($(date +%s) - started)) s" >&2
fi

bench_forget_codes $hub_account $dsl_account $officer_account
sign_in() { bench_sign_in "$1" "$password" "$totp_secret"; }
hub_cookie=$(sign_in $hub_account)
dsl_cookie=$(sign_in $dsl_account)
officer_cookie=""
case " $endpoints " in *" dashboard "*) officer_cookie=$(sign_in $officer_account) ;; esac
token=""
# The hub signed in above with the next step's code, and a code is accepted once and only after the last:
# forget it again, so that the token's (this step's) is taken.
case " $endpoints " in *" search"*) bench_forget_codes $hub_account; token=$(bench_token $hub_account "$password" "$totp_secret") ;; esac

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

# The app's CPU time (user + system, clock ticks) from /proc: CPU per request is what a loaded machine moves least.
app_ticks() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
run() { # endpoint duration -> "rps p50 p99 statements/request discards/request app-CPU-ms/request"
  local list prefix header before out
  IFS='|' read -r list prefix header < <(target "$1")
  before=$(app_ticks)
  out=$(bench_wrk "$1" "$2" "$list" "$prefix" "$header")
  echo "$out $(awk -v t=$(($(app_ticks) - before)) -v hz="$(getconf CLK_TCK)" -v rps="$(echo "$out" | cut -d' ' -f1)" -v d="${2%s}" \
    'BEGIN { if (rps * d > 0) printf "%.1f", t * 1000 / hz / (rps * d); else print "-" }')"
}

bench_warm
[ -z "${KEEP_STATEMENTS:-}" ] || : >"$KEEP_STATEMENTS"

echo "Measuring ($rounds round(s) of $duration each, $connections connections, $threads threads)..." >&2
for r in $(seq 1 "$rounds"); do
  for e in $endpoints; do run "$e" "$duration" >>"$work/result-$e"; done
done
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status")

printf '\nPages under loopback load, %s, %s UTC, %s cores (load average %s), %s (%s people, %s open cases, %s referrals awaiting triage, %s open alerts), wrk -t%s -c%s -d%s, median of %s, peak working set %s MB\n' \
  "$(git rev-parse --short HEAD)" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$pg_database" \
  "$(pg -d "$pg_database" -c 'SELECT count(*) FROM "People"')" "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Cases\" WHERE \"Status\" = 'Open'")" \
  "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Referrals\" WHERE \"Status\" = 'AwaitingTriage'")" \
  "$(pg -d "$pg_database" -c "SELECT count(*) FROM \"Alerts\" WHERE \"Status\" <> 'Closed'")" "$threads" "$connections" "$duration" "$rounds" "$hwm"
bench_print_results $endpoints
printf '  app CPU per request (ms, median; user + system time of the app process over the run / requests):'
for e in $endpoints; do printf ' %s %s' "$e" "$(col "$e" 6)"; done
echo
