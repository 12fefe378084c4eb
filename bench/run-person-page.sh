#!/usr/bin/env bash
# The person page under loopback load, against a yardstick in the same process and run:
#   baseline   GET /bench/baseline?id=   one indexed query and a 2 KB page, no token, no reader
#   api        GET /api/v1/people/{id}   the person through the policy, "why", the audit (bearer token)
#   html       GET /people/{id}          the same as the signed-in page (cookie)
#   search, search-dob (on request)      GET /api/v1/people?name=...[&dateOfBirth=...], the pupils' own names
# at county scale (217k people; generated once, about 30 s, and kept), as the DSL of a
# secondary school over many of its pupils in turn (bench/load/rotate.lua). One line per
# endpoint: req/s, p50, p99, statements and DISCARD ALLs per request (pg_stat_statements), and
# the ratio to the baseline. Release build, Kestrel on 127.0.0.1 only, bounded in time. See bench/README.md.
#
#   bench/run-person-page.sh
#   CONNECTIONS=64 DURATION=20s ROUNDS=3 bench/run-person-page.sh
#   ENDPOINTS="baseline api" bench/run-person-page.sh
#   ENDPOINTS="baseline search search-dob" bench/run-person-page.sh   # person search over HTTP, with its audit
#   WAYPOINT_BENCH_POSTGRES_SERVER="Host=127.0.0.1;Port=55432;Username=postgres" bench/run-person-page.sh
#
# Without WAYPOINT_BENCH_POSTGRES_SERVER the script runs its own PostgreSQL (with
# pg_stat_statements) in $BENCH_STATE/pg on port $BENCH_PGPORT, and stops it at the end; the data
# stays there for the next run.
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
endpoints=${ENDPOINTS:-baseline api html}
state=${BENCH_STATE:-/tmp/waypoint-bench}
pg_port=${BENCH_PGPORT:-55433}
pg_database=waypoint_bench_$scale
app_data=$state/app-data-$scale
account=dsl@brackton-academy.demo
password=amber-otter-lantern
totp_secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP

work=$(mktemp -d /tmp/waypoint-bench-web.XXXXXX)
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup
bench_stats_init
bench_start_app

bench_forget_codes "$account"
token=$(bench_token "$account" "$password" "$totp_secret")
cookie=$(bench_sign_in "$account" "$password" "$totp_secret")

# Pupils of the DSL's school, in a fixed random order: people the reader may see.
pg -d "$pg_database" -c "SELECT e.\"PersonId\" FROM \"Enrolments\" e JOIN \"AspNetUsers\" u ON u.\"OrganisationId\" = e.\"SchoolId\"
  WHERE u.\"NormalizedEmail\" = upper('$account') AND e.\"StartDate\" <= current_date AND (e.\"EndDate\" IS NULL OR e.\"EndDate\" >= current_date)
  GROUP BY e.\"PersonId\" ORDER BY md5(e.\"PersonId\"::text) LIMIT $id_count" >"$work/ids"
[ -s "$work/ids" ] || { echo "No pupils found for $account." >&2; exit 1; }
# Searches over the API (with their audit): a pupil's family name, and full name with date of birth.
pg -d "$pg_database" -c "SELECT 'name=' || p.\"FamilyName\", 'name=' || p.\"GivenName\" || '%20' || p.\"FamilyName\" || '&dateOfBirth=' || p.\"DateOfBirth\"
  FROM \"People\" p WHERE p.\"Id\" IN ($(sed "s/.*/'&'/" "$work/ids" | paste -sd,)) AND p.\"DateOfBirth\" IS NOT NULL" -F' ' >"$work/searches"
cut -d' ' -f1 "$work/searches" | sed 's/ /%20/g' >"$work/search-name"
cut -d' ' -f2 "$work/searches" >"$work/search-dob"
first=$(head -1 "$work/ids")
for check in "api:$base/api/v1/people/$first" "html:$base/people/$first"; do
  name=${check%%:*}; url=${check#*:}
  if [ "$name" = api ]; then h="Authorization: Bearer $token"; else h="Cookie: $cookie"; fi
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$h" "$url")
  [ "$status" = 200 ] || { echo "$name: $url answered $status, expected 200." >&2; exit 1; }
done

label() {
  case "$1" in
    baseline) echo "1 indexed query + 2 KB (no token)" ;;
    api) echo "GET /api/v1/people/{id}" ;;
    html) echo "GET /people/{id} (HTML)" ;;
    search) echo "GET /api/v1/people?name= (family)" ;;
    search-dob) echo "GET /api/v1/people?name=&dateOfBirth=" ;;
  esac
}

# The app's CPU time (user + system, clock ticks) from /proc: CPU per request is what a loaded machine moves least.
app_ticks() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
run() { # endpoint duration -> "rps p50 p99 statements/request discards/request app-CPU-ms/request"
  local prefix suffix="" header out list=$work/ids before
  case "$1" in
    baseline) prefix="/bench/baseline?id="; header="X-Bench: baseline" ;;
    api) prefix="/api/v1/people/"; header="Authorization: Bearer $token" ;;
    html) prefix="/people/"; header="Cookie: $cookie" ;;
    search) prefix="/api/v1/people?"; header="Authorization: Bearer $token"; list=$work/search-name ;;
    search-dob) prefix="/api/v1/people?"; header="Authorization: Bearer $token"; list=$work/search-dob ;;
    *) echo "Unknown endpoint $1 (baseline, api, html, search, search-dob)" >&2; exit 1 ;;
  esac
  before=$(app_ticks)
  out=$(bench_wrk "$1" "$2" "$list" "$prefix" "$header")
  echo "$out $(awk -v t=$(($(app_ticks) - before)) -v hz="$(getconf CLK_TCK)" -v rps="$(echo "$out" | cut -d' ' -f1)" -v d="${2%s}" \
    'BEGIN { if (rps * d > 0) printf "%.1f", t * 1000 / hz / (rps * d); else print "-" }')"
}

bench_warm
[ -z "${KEEP_STATEMENTS:-}" ] || : >"$KEEP_STATEMENTS"

echo "Measuring ($rounds round(s) of $duration each, $connections connections, $threads threads, $(wc -l <"$work/ids") ids)..." >&2
for r in $(seq 1 "$rounds"); do
  for e in $endpoints; do run "$e" "$duration" >>"$work/result-$e"; done
done
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status")

printf '\nPerson page under loopback load, %s, %s UTC, %s cores (load average %s), %s (%s people), wrk -t%s -c%s -d%s, median of %s, peak working set %s MB\n' \
  "$(git rev-parse --short HEAD)" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$pg_database" \
  "$(pg -d "$pg_database" -c 'SELECT count(*) FROM "People"')" "$threads" "$connections" "$duration" "$rounds" "$hwm"
bench_print_results $endpoints
printf '  app CPU per request (ms, median; user + system time of the app process over the run / requests):'
for e in $endpoints; do printf ' %s %s' "$e" "$(col "$e" 6)"; done
echo
