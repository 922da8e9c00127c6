#!/usr/bin/env bash
# tools/bench-bird.sh - the side-by-side row of issue 13: the same chain (ExpressRoute site -> MSEE ->
# gateway -> Route Server -> NVA -> NVA site) carrying N prefixes, in arsim and in six real BIRD 2
# daemons (one per node, on loopback addresses 127.0.1.1-6, real BGP over TCP). Prints one JSON line
# per N for tools/bench.sh. BIRD is a benchmark tool only, never a dependency of arsim or its tests.
#
#   tools/bench-bird.sh ARSIM BENCH N...
#     ARSIM, BENCH  the arsim and tools/bench executables to use
#     N...          prefix counts (e.g. 100000 1000000)
#
# Skips (a message on stderr, a JSON line with "skipped", exit 0) when bird/birdc are absent or it
# is not root (BGP's port 179). BIRD side: the daemons start with their sessions set up first; the
# site's static routes are then enabled and the time runs until the last daemon holds all N. CPU is
# the daemons' user + system time over that interval (/proc/PID/stat), memory the sum of their
# peak RSS. The BIRD chain is eBGP between six ASes (arsim's gateway and Route Server share AS 65515);
# the routes each node holds are the same. arsim side: tools/bench on the generated equivalent
# (`arsim generate --spokes 1 --nvas 1 --lift-limits --er-prefixes N`, which has both Route Server
# instances, so a few more nodes), CPU time of run_scenario (build, simulate, effective routes;
# median of 3); CPU per route held per node is that divided by the routes stored in all RIBs.
set -euo pipefail

arsim="$1" bench="$2"
shift 2
skip() {
    printf 'bench-bird.sh: skipping the BIRD row: %s\n' "$1" >&2
    printf '{"scenario":"BIRD side by side","skipped":"%s"}\n' "$1"
    exit 0
}
if ! command -v bird >/dev/null 2>&1 || ! command -v birdc >/dev/null 2>&1; then
    skip "bird2 is not installed (Debian: apt-get install bird2)"
fi
((EUID == 0)) || skip "not root (BGP daemons bind port 179)"

NODES=6
tmp="$(mktemp -d "${TMPDIR:-/tmp}/arsim-bird.XXXXXX")"
pids=()
stop() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    pids=()
}
trap 'stop; rm -rf -- "$tmp"' EXIT

# conf I N: the configuration of daemon I (0 = site) of the chain.
conf() {
    local i="$1" n="$2" me="127.0.1.$(($1 + 1))" asn=$((65001 + $1))
    local out='export filter { if proto = "lonet" then reject; accept; };'
    printf 'router id %s;\nprotocol device { scan time 10; }\n' "$me"
    # Next hops are other loopback addresses: resolved through this interface route.
    printf 'protocol static lonet { ipv4; route 127.0.1.0/24 via "lo"; }\n'
    if ((i == 0)); then
        printf 'protocol static origin { disabled; ipv4;\n'
        awk -v n="$n" 'BEGIN { for (k = 0; k < n; k++) printf "  route %d.%d.%d.0/24 blackhole;\n", 11 + int(k / 65536), int(k / 256) % 256, k % 256 }'
        printf '}\n'
    fi
    if ((i > 0)); then
        printf 'protocol bgp toprev { local %s as %d; neighbor 127.0.1.%d as %d; multihop 2; strict bind; ipv4 { import all; %s }; }\n' \
            "$me" "$asn" "$i" $((asn - 1)) "$out"
    fi
    if ((i < NODES - 1)); then
        printf 'protocol bgp tonext { local %s as %d; neighbor 127.0.1.%d as %d; multihop 2; strict bind; ipv4 { import all; %s next hop self; }; }\n' \
            "$me" "$asn" $((i + 2)) $((asn + 1)) "$out"
    fi
}

# cpu_ticks: user + system clock ticks of every daemon so far.
cpu_ticks() {
    local p t=0 f
    for p in "${pids[@]}"; do
        read -r -a f <"/proc/$p/stat"
        t=$((t + f[13] + f[14]))
    done
    echo "$t"
}

# BGP routes daemon I holds (learned from the previous node).
routes_at() { birdc -s "$tmp/n$1.ctl" show route protocol toprev count 2>/dev/null | sed -n 's/^\([0-9]*\) of .*/\1/p'; }
now() { date +%s.%N; }
# The value of a key in tools/bench's one-line JSON (as in tools/bench.sh).
jget() { sed -E 's/.*"'"$2"'":("([^"]*)"|([^,}]*)).*/\2\3/' <<<"$1"; }

for n in "$@"; do
    # ---- BIRD ----
    for ((i = 0; i < NODES; i++)); do
        conf "$i" "$n" >"$tmp/n$i.conf"
        bird -c "$tmp/n$i.conf" -s "$tmp/n$i.ctl" -P "$tmp/n$i.pid" || skip "bird refused its configuration"
    done
    sleep 0.5
    for ((i = 0; i < NODES; i++)); do pids+=("$(cat "$tmp/n$i.pid")"); done
    # Sessions first (BIRD waits a few seconds before connecting), then the routes.
    for ((t = 0; t < 600; t++)); do
        up=0
        for ((i = 0; i < NODES; i++)); do
            up=$((up + $(birdc -s "$tmp/n$i.ctl" show protocols | grep -c Established || true)))
        done
        ((up < 2 * (NODES - 1))) || break
        sleep 0.1
    done
    ((up == 2 * (NODES - 1))) || skip "BIRD sessions did not come up"
    c0="$(cpu_ticks)" t0="$(now)"
    birdc -s "$tmp/n0.ctl" enable origin >/dev/null
    until [[ "$(routes_at $((NODES - 1)))" == "$n" ]]; do sleep 0.02; done
    t1="$(now)" c1="$(cpu_ticks)"
    peak=0
    for p in "${pids[@]}"; do
        peak=$((peak + $(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$p/status")))
    done
    stop
    hz="$(getconf CLK_TCK)"
    # ---- arsim ----
    "$arsim" generate --spokes 1 --nvas 1 --routes-per-nva 1 --circuit-sku Premium --lift-limits \
        --er-prefixes "$n" -o "$tmp/chain.json"
    line="$("$bench" --json --repeat 3 --label "chain $n" "$tmp/chain.json")"
    awk -v n="$n" -v nodes="$NODES" -v t0="$t0" -v t1="$t1" -v bc="$((c1 - c0))" -v hz="$hz" \
        -v bpk="$peak" -v aw="$(jget "$line" runCpuSeconds)" -v ar="$(jget "$line" routesStored)" \
        -v am="$(jget "$line" peakRssMiB)" 'BEGIN {
        bw = t1 - t0; bcpu = bc / hz; bper = bcpu / (n * nodes) * 1e6; aper = aw / ar * 1e6
        printf "{\"scenario\":\"BIRD side by side %d\",\"prefixes\":%d,\"birdWallSeconds\":%.3f,\"birdCpuSeconds\":%.3f,", n, n, bw, bcpu
        printf "\"birdCpuUsPerRouteNode\":%.3f,\"birdPeakMiB\":%.1f,\"arsimRunCpuSeconds\":%.3f,\"arsimRoutesStored\":%d,", bper, bpk / 1024, aw, ar
        printf "\"arsimCpuUsPerRouteNode\":%.4f,\"arsimPeakMiB\":%.1f,\"ratio\":%.1f}\n", aper, am, bper / aper
    }'
done
