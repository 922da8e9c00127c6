#!/usr/bin/env bash
# tools/bench.sh - runs the benchmarks of issue 7 (B1-B5) on a release build, prints one table and
# writes the same rows as JSON.
#
#   tools/bench.sh [-o FILE] [-r N] [--only B1,B2,...]
#     -o FILE      write the JSON there (default: BUILD/bench-results.json)
#     -r N         timed runs per scenario; medians are reported (default 5)
#     --only LIST  run only these benchmarks (B1..B5, E2E, BIRD, SWEEP; comma-separated; B3 is B5's 1M row, plus
#                  the same network with the 1M prefixes loaded from an MRT file, its load time in the note)
#
# Builds in build-release (ARSIM_BENCH_BUILD_DIR overrides it), never in build/, so tools/test.sh's
# tree is left alone. Inputs come from `arsim generate` into a temporary folder. Needs bash,
# coreutils, grep, sed and awk. Columns: scenario, wall seconds (load + run to convergence,
# including effective routes; median), CPU seconds of the run alone (median; less inflated than
# wall time when the machine is shared), events, UPDATE messages, routes stored, peak RSS of that
# run in MiB, bytes per stored route (peak RSS / routes stored), and for B1, B2 and B5 10k the
# first 16 hex digits of the SHA-256 of the run's text output (`arsim run`: every router's paths and
# every VNet's effective routes), which must not change when the engine changes no behaviour
# (docs/performance.md lists the expected values). The BIRD row runs tools/bench-bird.sh: the same
# chain in arsim and in real BIRD 2 daemons, 100k and 1M prefixes (skipped without bird2 or root).
set -euo pipefail

export ARSIM_BUILD_DIR="${ARSIM_BENCH_BUILD_DIR:-build-release}"
# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

out=""
repeat=5
only="B1,B2,B3,B4,B5,E2E,BIRD,SWEEP"
while (($#)); do
    case "$1" in
    -o) out="$2"; shift 2 ;;
    -r) repeat="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) arsim_die "unknown argument: $1 (try --help)" ;;
    esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || arsim_die "-r needs a positive number"
wants() { [[ ",$only," == *",$1,"* ]]; }

# shellcheck disable=SC2119 # no extra packages needed
ensure_packages
if [[ ! -f "$ARSIM_BUILD/meson-private/coredata.dat" ]]; then
    arsim_log "configuring $ARSIM_BUILD (buildtype=release)"
    meson setup -Dbuildtype=release "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 || arsim_die "meson setup failed"
fi
ensure_build
[[ -n "$out" ]] || out="$ARSIM_BUILD/bench-results.json"

arsim="$ARSIM_BUILD/arsim"
bench="$ARSIM_BUILD/tools/bench"
bench_evq="$ARSIM_BUILD/tools/bench_evq"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/arsim-bench.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT
rows="$tmp/rows.jsonl"
: >"$rows"

# The value of a key in a one-line flat JSON object (numbers, booleans, strings without quotes).
jget() { sed -E 's/.*"'"$2"'":("([^"]*)"|([^,}]*)).*/\2\3/' <<<"$1"; }

# run_bench LABEL FILE [--checksum]: one row from tools/bench.
run_bench() {
    arsim_log "$1 ($(basename -- "$2"), $(wc -c <"$2") bytes, $repeat runs)"
    local line status=0
    line="$("$bench" --json --repeat "$repeat" --label "$1" "${@:3}" "$2")" || status=$?
    ((status == 0 || status == 3)) || arsim_die "bench failed on $1 (status $status)"
    printf '%s\n' "$line" >>"$rows"
}

gen() { "$arsim" generate "$@"; }
B3_ARGS=(--spokes 1 --nvas 8 --routes-per-nva 10 --circuit-sku Premium --branch-to-branch --lift-limits)

if wants B1; then
    for s in seed-er-sdwan seed-er-vpn seed-same-prefix; do
        run_bench "B1 $s" "$ARSIM_ROOT/scenarios/$s.json" --checksum
    done
fi
if wants B2; then
    gen --spokes 500 --nvas 8 --routes-per-nva 1000 --er-prefixes 10000 --circuit-sku Premium \
        --vpn-sites 4 --prefixes-per-site 100 --branch-to-branch --lift-limits -o "$tmp/b2.json"
    run_bench "B2 Azure max" "$tmp/b2.json" --checksum
fi
for n in 10000 100000 1000000; do
    label="B5 ${n} ER"
    if ((n == 1000000)); then
        wants B3 || wants B5 || continue
        label="B3 1M ER (B5 1M)"
    else
        wants B5 || continue
    fi
    gen "${B3_ARGS[@]}" --er-prefixes "$n" -o "$tmp/er-$n.json"
    if ((n == 10000)); then
        run_bench "$label" "$tmp/er-$n.json" --checksum
    else
        run_bench "$label" "$tmp/er-$n.json"
    fi
done
# B3 from MRT: the same network, the ExpressRoute site's 1M prefixes read from an MRT file (its
# Loc-RIB at time 0, written by --mrt-out) instead of listed in the scenario. Its load time (the
# scenario and the 1M-route file) is the figure to watch: target under 2 s.
if wants B3 && [[ -f "$tmp/er-1000000.json" ]]; then
    arsim_log "B3 from MRT: writing the site's 1M-route table"
    "$arsim" run "$tmp/er-1000000.json" --until 0 --node onprem-er --mrt-out "$tmp/mrt" >/dev/null ||
        arsim_die "arsim run --mrt-out failed"
    gen "${B3_ARGS[@]}" --er-prefixes 1 -o "$tmp/er-mrt.json"
    run_bench "B3 1M ER from MRT" "$tmp/er-mrt.json" --set 'sites.onprem-er.addressPrefixes=[]' \
        --set 'sites.onprem-er.routesFrom={"mrt": "mrt/onprem-er.mrt"}'
fi
if wants BIRD; then
    # Side by side with real BIRD 2 daemons (tools/bench-bird.sh); skipped without bird2 or root.
    arsim_log "BIRD side by side (100,000 and 1,000,000 prefixes)"
    "$(dirname -- "${BASH_SOURCE[0]}")/bench-bird.sh" "$arsim" "$bench" 100000 1000000 >>"$rows"
fi
if wants B4; then
    arsim_log "B4 event queue hold model (1,000,000 pending)"
    "$bench_evq" --json --repeat "$repeat" | while read -r line; do
        printf '{"scenario":"B4 hold %s",%s\n' "$(jget "$line" distribution)" "${line#\{}" >>"$rows"
    done
fi

# ---- end-to-end commands (issue 14) -----------------------------------------------------------
# Whole `arsim` processes on B2 and on B5's 1M scenario, one run each: wall seconds, peak RSS and
# output bytes, measured by GNU time. Rows go to their own table and to "commands" in the JSON.
commands="$tmp/commands.jsonl"
: >"$commands"

# cmd_row LABEL OUT ARGS...: runs `arsim ARGS...` as one process. OUT is the file the command
# writes with -o, or "" for what it prints on stdout. Exit status 1 (differences, not delivered)
# is a result, not a failure.
cmd_row() {
    local label="$1" outf="$2" status=0 secs kib
    shift 2
    arsim_log "$label"
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time.txt" "$arsim" "$@" >"$tmp/stdout.txt" 2>"$tmp/stderr.txt" || status=$?
    ((status <= 1)) || arsim_die "$label failed (status $status): $(tail -n 3 "$tmp/stderr.txt")"
    [[ -n "$outf" ]] || outf="$tmp/stdout.txt"
    read -r secs user sys kib < <(tail -n 1 "$tmp/time.txt")
    cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    printf '{"scenario":"%s","wallSeconds":%s,"cpuSeconds":%s,"peakMiB":%s,"outputBytes":%s,"outputSha256":"%s"}\n' \
        "$label" "$secs" "$cpu" "$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')" "$(wc -c <"$outf")" \
        "$(sha256sum <"$outf" | cut -c1-64)" >>"$commands"
}

# view_rows NAME FILE: compare (branch-to-branch turned off), trace (spoke1 to the ExpressRoute
# site), graph and report of one scenario.
view_rows() {
    cmd_row "$1 compare" "" compare "$2" --set routeServers.ars.allowBranchToBranchTraffic=false
    cmd_row "$1 trace" "" trace "$2" --from spoke1 --to onprem-er
    cmd_row "$1 graph" "$tmp/graph.svg" graph "$2" -o "$tmp/graph.svg"
    cmd_row "$1 report" "$tmp/report.html" report "$2" -o "$tmp/report.html"
}

# The run document checked with python3's json module: format version 2 (every route a line) or,
# past 1,000,000 route lines, version 3 (routes grouped, prefix sets; docs/output-format.md), whose
# groups must name prefix sets the document holds. Up to 1 GiB as one document; past that (a
# version 2 document of B5 1M written with --full: 5 GB, more than json.load can hold in 8 GB)
# piecewise in one pass: each route line (one object a line, as written) parsed alone, every other
# line together as one document with the routes left out (still valid JSON: the arrays just become
# empty), and the commas between route lines.
json_check='
import json, os, sys
path = sys.argv[1]
if os.path.getsize(path) <= 1 << 30:
    doc = json.load(open(path))
    assert doc["formatVersion"] in (2, 3), doc["formatVersion"]
    if doc["formatVersion"] == 3:
        sets = doc["prefixSets"]
        groups = [g for n in doc["nodes"].values() for g in n["routeGroups"]]
        assert groups and all(0 <= g["prefixSet"] < len(sets) for g in groups)
    sys.exit(0)
skeleton, prev = [], None
for line in open(path):
    t = line.strip()
    if t.startswith("{\"prefix\":"):
        json.loads(t[:-1] if t.endswith(",") else t)
        if prev is not None:
            assert prev.endswith(","), "no comma between two routes"
        prev = t
        continue
    if prev is not None:
        assert not prev.endswith(","), "a comma after the last route"
    prev = None
    skeleton.append(line)
assert json.loads("".join(skeleton))["formatVersion"] == 2
'

# run_rows NAME FILE: `arsim run` (text) and `arsim run --json` of one scenario, memory capped (a
# regression must not take the machine down); the JSON document is checked whole with python3's
# json module (a truncated or "null" document fails the benchmark).
run_rows() {
    (ulimit -v 8000000; cmd_row "$1 run" "$tmp/run.txt" run "$2" -o "$tmp/run.txt") || arsim_die "$1 run failed"
    (ulimit -v 8000000; cmd_row "$1 run --json" "$tmp/run.json" run --json "$2" -o "$tmp/run.json") ||
        arsim_die "$1 run --json failed"
    (ulimit -v 8000000; python3 -c "$json_check" "$tmp/run.json") || arsim_die "$1 run --json: not a valid run document"
    arsim_log "$1 run --json: valid JSON ($(wc -c <"$tmp/run.json") bytes)"
    rm -f -- "$tmp/run.txt" "$tmp/run.json"
}

if wants E2E; then
    [[ -x /usr/bin/time ]] || ensure_packages time
    [[ -f "$tmp/b2.json" ]] || gen --spokes 500 --nvas 8 --routes-per-nva 1000 --er-prefixes 10000 \
        --circuit-sku Premium --vpn-sites 4 --prefixes-per-site 100 --branch-to-branch --lift-limits -o "$tmp/b2.json"
    run_rows "B2" "$tmp/b2.json"
    view_rows "B2" "$tmp/b2.json"
    [[ -f "$tmp/er-1000000.json" ]] || gen "${B3_ARGS[@]}" --er-prefixes 1000000 -o "$tmp/er-1000000.json"
    run_rows "B5 1M" "$tmp/er-1000000.json"
    view_rows "B5 1M" "$tmp/er-1000000.json"
fi

# ---- failure sweep (issue 17) -------------------------------------------------------------------
# Every single failure of B2 (each NVA, gateway instance, Route Server instance, connection and
# session) with --jobs 1, --jobs 2 and, when the build has MPI, 2 ranks of one thread. Cost per case:
# (sweep seconds - one plain B2 run) / cases, against one plain B2 run (tools/bench, load + run).
# Target: at most 2x a plain run per case, and near 2x faster on 2 threads or 2 ranks.
sweep_json=null
if wants SWEEP; then
    [[ -x /usr/bin/time ]] || ensure_packages time
    [[ -f "$tmp/b2.json" ]] || gen --spokes 500 --nvas 8 --routes-per-nva 1000 --er-prefixes 10000 \
        --circuit-sku Premium --vpn-sites 4 --prefixes-per-site 100 --branch-to-branch --lift-limits -o "$tmp/b2.json"
    kinds=nva,gateway,rs-instance,connection,session
    plain="$("$bench" --json --repeat "$repeat" --label "B2 (sweep reference)" "$tmp/b2.json")"
    plain_s="$(jget "$plain" wallSeconds)"
    # sweep_secs ARGS...: wall seconds of `arsim sweep B2 ARGS...` (output checked against jobs 1's).
    sweep_secs() {
        (ulimit -v 8000000; /usr/bin/time -f '%e' -o "$tmp/time.txt" "$@" >"$tmp/sweep.out" 2>"$tmp/sweep.err") ||
            arsim_die "sweep failed: $(tail -n 3 "$tmp/sweep.err")"
        tail -n 1 "$tmp/time.txt"
    }
    arsim_log "SWEEP B2 --jobs 1"
    t1="$(sweep_secs "$arsim" sweep "$tmp/b2.json" --kinds "$kinds" --jobs 1)"
    cases="$(sed -n 's/^arsim sweep: \([0-9]*\) case.*/\1/p' "$tmp/sweep.err")"
    cp -- "$tmp/sweep.out" "$tmp/sweep1.out"
    arsim_log "SWEEP B2 --jobs 2"
    t2="$(sweep_secs "$arsim" sweep "$tmp/b2.json" --kinds "$kinds" --jobs 2)"
    cmp -s "$tmp/sweep1.out" "$tmp/sweep.out" || arsim_die "sweep --jobs 2 printed other bytes than --jobs 1"
    tr=null
    if command -v mpirun >/dev/null && [[ "$(ldd "$arsim" 2>/dev/null)" == *libmpi* ]]; then
        arsim_log "SWEEP B2 2 MPI ranks"
        root=()
        ((EUID != 0)) || root=(--allow-run-as-root)
        tr="$(sweep_secs mpirun "${root[@]}" -n 2 --oversubscribe "$arsim" sweep "$tmp/b2.json" --kinds "$kinds" --jobs 1)"
        cmp -s "$tmp/sweep1.out" "$tmp/sweep.out" || arsim_die "sweep on 2 ranks printed other bytes than one process"
    fi
    sweep_json="$(awk -v t1="$t1" -v t2="$t2" -v tr="$tr" -v p="$plain_s" -v n="$cases" 'BEGIN {
        pc = (t1 - p) / n
        printf "{\"cases\":%d,\"plainRunSeconds\":%s,\"jobs1Seconds\":%s,\"jobs2Seconds\":%s,\"ranks2Seconds\":%s,", n, p, t1, t2, tr
        printf "\"perCaseSeconds\":%.4f,\"perCaseOverPlain\":%.2f,\"speedupJobs2\":%.2f,", pc, pc / p, t1 / t2
        if (tr == "null") printf "\"speedupRanks2\":null}"; else printf "\"speedupRanks2\":%.2f}", t1 / tr }')"
fi

# ---- table ----------------------------------------------------------------------------------
printf '\n%-24s %12s %10s %10s %10s %12s %10s %10s %-16s  %s\n' scenario "wall s" "run CPU s" events messages routes \
    "peak MiB" "B/route" "results sha256" note
while read -r r; do
    name="$(jget "$r" scenario)"
    if [[ "$name" == BIRD* ]]; then
        if [[ "$r" == *'"skipped"'* ]]; then
            printf '%-24s skipped: %s\n' "$name" "$(jget "$r" skipped)"
        else
            printf '%-24s BIRD 2: %.3f s wall, %.3f CPU s, %.3f us CPU per route held per node, %.1f MiB | arsim: %.3f CPU s, %.4f us per route per node, %.1f MiB | ratio %sx\n' \
                "$name" "$(jget "$r" birdWallSeconds)" "$(jget "$r" birdCpuSeconds)" "$(jget "$r" birdCpuUsPerRouteNode)" \
                "$(jget "$r" birdPeakMiB)" "$(jget "$r" arsimRunCpuSeconds)" "$(jget "$r" arsimCpuUsPerRouteNode)" \
                "$(jget "$r" arsimPeakMiB)" "$(jget "$r" ratio)"
        fi
        continue
    fi
    if [[ "$name" == B4* ]]; then
        printf '%-24s %12.6f %10s %10s %10s %12s %10s %10s %-16s  %s M events/s (%s pending)\n' "$name" \
            "$(jget "$r" seconds)" - "$(jget "$r" ops)" - - - - - "$(jget "$r" millionEventsPerSecond)" "$(jget "$r" pending)"
        continue
    fi
    note=""
    [[ "$(jget "$r" converged)" == true ]] || note="NOT CONVERGED"
    [[ "$(jget "$r" sessionsDown)" == 0 ]] || note="$note $(jget "$r" sessionsDown) sessions down"
    [[ "$name" != *MRT* ]] || note="$note load $(printf "%.2f" "$(jget "$r" loadSeconds)") s (target < 2 s)"
    sum="-"
    [[ "$r" != *'"resultsSha256"'* ]] || sum="$(jget "$r" resultsSha256 | cut -c1-16)"
    printf '%-24s %12.6f %10.4f %10s %10s %12s %10.1f %10.1f %-16s  %s\n' "$name" "$(jget "$r" wallSeconds)" \
        "$(jget "$r" runCpuSeconds)" "$(jget "$r" events)" "$(jget "$r" messages)" "$(jget "$r" routesStored)" "$(jget "$r" peakRssMiB)" \
        "$(jget "$r" bytesPerStoredRoute)" "$sum" "$note"
done <"$rows"

# B5: how the cost grows from 10k to 1M prefixes (target: at most 120x).
w10k="$(grep -F '"B5 10000 ER"' "$rows" | head -n 1 || true)"
w1m="$(grep -F '"B3 1M ER (B5 1M)"' "$rows" | head -n 1 || true)"
growth=null
if [[ -n "$w10k" && -n "$w1m" ]]; then
    growth="$(awk -v a="$(jget "$w1m" wallSeconds)" -v b="$(jget "$w10k" wallSeconds)" 'BEGIN { printf "%.1f", a / b }')"
    printf '\nB5 growth: 1M ER prefixes cost %sx the 10k run (target <= 120x)\n' "$growth"
fi

if [[ -s "$commands" ]]; then
    printf '\n%-24s %10s %10s %10s %14s  %s\n' command "wall s" "CPU s" "peak MiB" "output bytes" "output sha256"
    while read -r r; do
        printf '%-24s %10s %10s %10s %14s  %s\n' "$(jget "$r" scenario)" "$(jget "$r" wallSeconds)" "$(jget "$r" cpuSeconds)" \
            "$(jget "$r" peakMiB)" "$(jget "$r" outputBytes)" "$(jget "$r" outputSha256 | cut -c1-16)"
    done <"$commands"
fi

if [[ "$sweep_json" != null ]]; then
    printf '\nB2 failure sweep: %s cases; per case %s s = %sx one plain B2 run of %s s (target <= 2x); --jobs 2 %sx faster, 2 ranks %sx (targets: near 2x)\n' \
        "$(jget "$sweep_json" cases)" "$(jget "$sweep_json" perCaseSeconds)" "$(jget "$sweep_json" perCaseOverPlain)" \
        "$(jget "$sweep_json" plainRunSeconds)" "$(jget "$sweep_json" speedupJobs2)" "$(jget "$sweep_json" speedupRanks2)"
fi

# ---- JSON -----------------------------------------------------------------------------------
{
    printf '{"machine":{"cores":%s,"cpu":"%s"},"repeats":%s,"b5Growth1MOver10k":%s,"rows":[\n' "$(nproc)" \
        "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //; s/"/\\"/g')" "$repeat" "$growth"
    sed '$!s/$/,/' "$rows"
    printf '],"commands":[\n'
    sed '$!s/$/,/' "$commands"
    printf '],"sweep":%s}\n' "$sweep_json"
} >"$tmp/results.json"
mv -- "$tmp/results.json" "$out"
arsim_log "wrote $out"
