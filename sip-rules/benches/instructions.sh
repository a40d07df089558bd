#!/bin/sh
# Instructions per call of the full check and of the memchr line split on every shape of the
# benchmark corpus, under callgrind: (count at N iterations - count at 0) / N.
#
#   cargo build --release -p sip-rules --example instructions
#   sh sip-rules/benches/instructions.sh [N]      # N defaults to 2000
#
# Prints a Markdown table: shape, message and SDP bytes, instructions of each, their ratio,
# and the check against the 11,000-instruction target.
set -eu
n=${1:-2000}
bin=${BIN:-target/release/examples/instructions}
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
echo "| shape | bytes | SDP bytes | check | split | check / split | check / 11,000 |"
echo "|---|---|---|---|---|---|---|"
"$bin" list | while IFS="$(printf '\t')" read -r name what bytes sdp; do
    c0=$(count check "$name" 0)
    c=$(count check "$name" "$n")
    s0=$(count split "$name" 0)
    s=$(count split "$name" "$n")
    awk -v name="$name" -v bytes="${bytes% bytes}" -v sdp="$sdp" -v c0="$c0" -v c="$c" \
        -v s0="$s0" -v s="$s" -v n="$n" 'BEGIN {
        ci = (c - c0) / n; si = (s - s0) / n;
        printf "| %s | %d | %d | %.0f | %.0f | %.2f | %.2f |\n", name, bytes, sdp, ci, si, ci / si, ci / 11000
    }'
done
