#!/usr/bin/env bash
# Company detail throughput and CPU per request, of guild serve and of wrk,
# on a database loaded by bench/run.sh (GUILD_BENCH_DIR). CPU per request is
# read from /proc (user + system time over the run), so unlike requests/s it
# says what one request costs even when other work shares the machine.
#
#   GUILD_BENCH_DIR=/tmp/b1m bench/run.sh          # once, loads 1,000,000 companies
#   bench/detail-cpu.sh /tmp/b1m [seconds] [connections] [guild binary]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: bench/detail-cpu.sh BENCH_DIR [seconds] [connections] [binary]}
D=${2:-20}; C=${3:-32}; bin=${4:-}
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }
if [[ -z "$bin" ]]; then bin=$(mktemp -d)/guild; go build -o "$bin" ./cmd/guild; fi
ADDR=127.0.0.1:$((20000 + RANDOM % 20000))
export GUILD_DATA_DIR=$dir/data GUILD_BENCH_TOKEN=$(cat "$dir/token") GUILD_BENCH_COMPANIES=${GUILD_BENCH_COMPANIES:-1000000}
"$bin" --log-level warn serve --addr "$ADDR" --no-access-log --workers=false &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://$ADDR/readyz" >/dev/null && break; sleep 0.1; done
kill -0 "$srv" 2>/dev/null || { echo "bench: guild serve did not start on $ADDR" >&2; exit 1; }
wrk -t2 -c"$C" -d3s -s bench/detail.lua "http://$ADDR" >/dev/null # warm-up
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
out=$(mktemp)
s0=$(cpu "$srv")
wrk -t2 -c"$C" -d"${D}s" --latency -s bench/detail.lua "http://$ADDR" >"$out" &
w=$!
sleep 0.2
wp=$(pgrep -n -x wrk); w0=$(cpu "$wp"); wl=$w0
while kill -0 "$w" 2>/dev/null; do wl=$(cpu "$wp" 2>/dev/null || echo "$wl"); sleep 0.2; done
s1=$(cpu "$srv")
n=$(awk '/requests in/{print $1}' "$out")
echo "company detail, random ids, $C connections, ${D}s: $(awk '/Requests\/sec/{print $2}' "$out") requests/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E ' (50|99)%' "$out"
awk -v s=$((s1 - s0)) -v w=$((wl - w0)) -v n="$n" -v t="$(getconf CLK_TCK)" 'BEGIN {
  printf "CPU per request: guild serve %.0f us, wrk %.0f us; two cores fully used would serve %.0f requests/s\n", s/t/n*1e6, w/t/n*1e6, 2/((s+w)/t/n) }'
