#!/bin/sh
# The same bounded loads against sip_guard and against Kamailio (kamailio.cfg), loopback only:
# INVITEs for a number neither serves, each answered 404.
#  1. sip_load (examples/sip_guard/load.rs), CALLS INVITEs with 1 and then 32 awaiting an answer:
#     answers per second and p50 / p99 / max response time in microseconds (monotonic clock);
#  2. SIPp, CALLS calls of reject_uac.xml (INVITE, 404, ACK) at RATE per second: answers per
#     second and SIPp's response times (SIPp measures in whole milliseconds).
# For each, the server's CPU time per INVITE (user + system from /proc: one core answers 1 / that
# per second). The server runs on CPU 0, the load on CPU 1.
#
#   apt-get install sip-tester kamailio
#   cargo build --release -p interconnect-examples --example sip_guard --example sip_load
#   sh sip-rules/bench/guard_vs_kamailio.sh [CALLS] [RATE]
set -eu
CALLS=${1:-50000}
RATE=${2:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/guard-bench.XXXXXX)
GUARD="$ROOT/target/release/examples/sip_guard"
LOAD="$ROOT/target/release/examples/sip_load"
TICK=$(getconf CLK_TCK)

# The user + system CPU ticks of the processes named, summed (all their threads included).
cpu_ticks() { for p in "$@"; do cat "/proc/$p/stat"; done | awk '{ t += $14 + $15 } END { print t }'; }

# load NAME PORT PID...: sip_load with windows 1 and 32, and the server's CPU per INVITE.
load() {
    name=$1; port=$2; shift 2
    sleep 1
    for window in 1 32; do
        before=$(cpu_ticks "$@")
        line=$(taskset -c 1 timeout 120 "$LOAD" --target 127.0.0.1:"$port" --count "$CALLS" --window "$window")
        after=$(cpu_ticks "$@")
        echo "$name sip_load: $line; server CPU $(python3 -c "print(f'{1e6 * ($after - $before) / $TICK / $CALLS:.1f}')") us per INVITE"
    done
}

# run NAME PORT PID...: the SIPp load against 127.0.0.1:PORT, then the figures; the CPU time
# is that of the processes PID...
run() {
    name=$1; port=$2; shift 2
    sleep 1
    before=$(cpu_ticks "$@")
    start=$(date +%s.%N)
    (cd "$WORK" && timeout 300 taskset -c 1 sipp -sf "$HERE/reject_uac.xml" -s +14155550999 \
        -i 127.0.0.1 -p 0 -m "$CALLS" -r "$RATE" -rp 1000 -l 5000 -timeout 240s \
        -trace_rtt -rtt_freq 1000 -trace_stat -stf "$name.stat.csv" 127.0.0.1:"$port" \
        >"$name.sipp.log" 2>&1 || true)
    end=$(date +%s.%N)
    after=$(cpu_ticks "$@")
    python3 - "$WORK" "$name" "$CALLS" "$start" "$end" "$before" "$after" "$TICK" <<'PY'
import csv, glob, sys
work, name, calls, start, end, before, after, tick = sys.argv[1:]
rtts = []
for f in glob.glob(f"{work}/reject_uac_*_rtt.csv"):
    with open(f) as fh:
        for row in csv.reader(fh, delimiter=";"):
            try:
                rtts.append(float(row[1]))
            except (IndexError, ValueError):
                pass
rtts.sort()
pct = lambda p: rtts[min(len(rtts) - 1, int(p * len(rtts)))] if rtts else float("nan")
elapsed = float(end) - float(start)
cpu = (int(after) - int(before)) / int(tick)
n = len(rtts)
print(f"{name} SIPp: {n} of {calls} INVITEs answered in {elapsed:.2f} s = {n / elapsed:.0f}/s; "
      f"server CPU {cpu:.2f} s = {1e6 * cpu / max(n, 1):.1f} us per INVITE "
      f"(one core: {n / cpu if cpu else float('inf'):.0f}/s); "
      f"response time p50 {pct(0.50):.3f} ms, p99 {pct(0.99):.3f} ms")
PY
    rm -f "$WORK"/reject_uac_*_rtt.csv
}

taskset -c 0 "$GUARD" --listen 127.0.0.1:5070 --upstream 127.0.0.1:5080 --source-any \
    --number +14155550123 2>"$WORK/guard.log" &
GPID=$!
load sip_guard 5070 "$GPID"
run sip_guard 5070 "$GPID"
kill "$GPID"

if command -v kamailio >/dev/null; then
    # Kamailio forks: main process plus one UDP worker (children=1); the worker does the work.
    taskset -c 0 kamailio -f "$HERE/kamailio.cfg" -D -E -m 64 -M 8 -Y "$WORK" 2>"$WORK/kamailio.log" &
    KPID=$!
    sleep 2
    # shellcheck disable=SC2046 # one argument per process id
    load kamailio 5090 "$KPID" $(pgrep -P "$KPID")
    # shellcheck disable=SC2046
    run kamailio 5090 "$KPID" $(pgrep -P "$KPID")
    kill "$KPID"
else
    echo "kamailio not installed: skipped (apt-get install kamailio)"
fi
echo "SIPp logs and stats in $WORK"
