#!/usr/bin/env bash
# Guild's benchmarks: loads N companies (default 1,000,000) into a fresh store
# through the CLI import, then measures the API with wrk (Debian package wrk).
#
#   bench/run.sh                      # SQLite, in a temporary data dir
#   GUILD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/guild_bench?sslmode=disable bench/run.sh
#
# Env: GUILD_BENCH_COMPANIES (default 1000000), GUILD_BENCH_DURATION (wrk -d,
# default 20s), GUILD_BENCH_CONNECTIONS (default 32), GUILD_BENCH_DIR (keep the
# SQLite data and the token there and reuse them on the next run instead of
# importing again; PostgreSQL: reuse the database when the dir holds a token).
# The detail and bulk runs measure throughput with GUILD_BENCH_CONNECTIONS
# connections; the list runs measure one request at a time (latency).
# Figures go to stdout; BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${GUILD_BENCH_COMPANIES:-1000000}
D=${GUILD_BENCH_DURATION:-20s}
C=${GUILD_BENCH_CONNECTIONS:-32}
ADDR=127.0.0.1:${GUILD_BENCH_PORT:-$((20000 + RANDOM % 20000))}
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
keep=${GUILD_BENCH_DIR:-$work/keep}
mkdir -p "$keep"
export GUILD_DATA_DIR=$keep/data
go build -o "$work/guild" ./cmd/guild
G=$work/guild
if [[ ! -s "$keep/token" ]]; then
  if [[ -n "${GUILD_DATABASE_URL:-}" ]]; then
    db=${GUILD_DATABASE_URL##*/}; db=${db%%\?*}
    psql "${GUILD_DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    $G migrate
  fi
  $G stores create --hash bench --name Bench --default-customer-group-name Wholesale >/dev/null
  echo "== import of $N companies with their admins (CLI, one process)"
  $G companies generate --count "$N" > "$work/companies.jsonl"
  /usr/bin/time -f "import: %e s wall, %M KB max RSS" $G --log-level warn companies import --store bench --file "$work/companies.jsonl"
  rm "$work/companies.jsonl"
  [[ -z "${GUILD_DATABASE_URL:-}" ]] && du -sh "$GUILD_DATA_DIR"
  $G tokens create --store bench --name bench 2>/dev/null > "$keep/token"
fi
export GUILD_BENCH_TOKEN=$(cat "$keep/token") GUILD_BENCH_COMPANIES=$N

$G --log-level warn serve --addr "$ADDR" --no-access-log &
server=$!
for _ in $(seq 1 100); do curl -sf "http://$ADDR/readyz" >/dev/null && break; sleep 0.1; done
kill -0 "$server" 2>/dev/null || { echo "bench: guild serve did not start on $ADDR" >&2; exit 1; }

run() { # name, script, connections: throughput under load
  echo "== $1 ($3 connections)"
  wrk -t$(( $3 > 1 ? 2 : 1 )) -c"$3" -d"$D" --timeout 30s --latency -s "bench/$2" "http://$ADDR" | grep -E 'requests in|Requests/sec|Latency|50%|75%|90%|99%|Non-2xx|Socket|companies/s'
}
run "company detail, random ids" detail.lua "$C"
export GUILD_BENCH_QUERY="limit=250&sortBy=updatedAt&orderBy=DESC"
run "list page of 250, default sort (updatedAt DESC), totalCount" list.lua 1
export GUILD_BENCH_QUERY="limit=250&companyStatus=1&sortBy=companyName&orderBy=ASC"
run "list page of 250, companyStatus=1, sorted by companyName" list.lua 1
export GUILD_BENCH_QUERY="limit=250&companyStatus=1&sortBy=companyName&orderBy=ASC&q=company%200099"
run "list page of 250, companyStatus=1 + q (name contains), sorted by name" list.lua 1
export GUILD_BENCH_QUERY="limit=250&offset=10000&sortBy=companyName&orderBy=ASC"
run "list page of 250 at offset 10,000, sorted by name" list.lua 1
export GUILD_BENCH_QUERY="limit=250&offset=$((N/2))&sortBy=companyName&orderBy=ASC"
run "list page of 250 at offset N/2, sorted by name" list.lua 1
# GET /company-payment-methods across all companies: the store gets three
# payment methods enabled by default the first time (each company uses all).
if [[ ! -e "$keep/payment-methods" ]]; then
  for code in cheque bank_transfer net_terms; do
    $G --log-level warn payment-methods create --store bench --code "$code" --title "$code" --enabled-by-default >/dev/null
  done
  touch "$keep/payment-methods"
fi
export GUILD_BENCH_LIST=company-payment-methods GUILD_BENCH_QUERY="limit=250"
run "company-payment-methods, page of 250, every company" list.lua 1
export GUILD_BENCH_QUERY="limit=250&offset=10000"
run "company-payment-methods, page of 250 at offset 10,000" list.lua 1
unset GUILD_BENCH_LIST
run "bulk create through the API (10 per request)" bulk.lua "$C"
