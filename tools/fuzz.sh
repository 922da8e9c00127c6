#!/usr/bin/env bash
# tools/fuzz.sh - build the libFuzzer harnesses (tests/fuzz) and run each for N executions.
#
#   tools/fuzz.sh                     both harnesses, 1,000,000 executions each, side by side (2 cores)
#   tools/fuzz.sh -n 5000000 run      only fuzz_run, 5 million executions
#   tools/fuzz.sh -T 600              stop each harness after 600 s even if it has not done N
#   tools/fuzz.sh --replay            run every seed and every tests/data/crash file once (regression),
#                                     and name the slowest: over the budget (-s) fails
#
# Options:
#   -n N        executions per harness (default 1000000)
#   -t SECONDS  an input that runs longer is a hang, reported as a crash (default 10)
#   -T SECONDS  wall-clock limit per harness (default 3600)
#   -m BYTES    largest input the fuzzer builds (default 8192)
#   --replay    no fuzzing: each harness runs the seed corpus and the crash regressions once
#   -s MS       --replay: the slowest input may take at most MS milliseconds (default 200): a slow
#               seed times out on a busy machine and slows every fuzzing run that starts from it
# Harnesses: load (tests/fuzz/fuzz_load.c: the loader, any bytes), run (tests/fuzz/fuzz_run.c:
# load, simulate with a budget of 10,000 events and 5,000 prefix updates, JSON, DOT) and mrt
# (tests/fuzz/fuzz_mrt.c: the MRT and bgpdump text readers of routesFrom, any bytes; seeds in
# tests/fuzz/seeds-mrt/) and bgpmsg (tests/fuzz/fuzz_bgpmsg.c: the live mode's BGP codec, any bytes as
# a stream of messages, each accepted UPDATE encoded again; seeds in tests/fuzz/seeds-bgp/).
# Default: all four.
#
# Build: clang with -fsanitize=fuzzer,address,undefined, in build-fuzz/ (ARSIM_FUZZ_BUILD_DIR), via
# the meson option -Dfuzz=true. Seeds: scenarios/, tests/data/bad/, tests/data/crash/,
# tests/fuzz/seeds/, plus the dictionary tests/fuzz/scenario.dict. The growing corpus is kept in
# build-fuzz/fuzz/corpus-HARNESS/ between runs; logs in build-fuzz/fuzz/HARNESS.log. Anything the
# fuzzer finds (crash-*, leak-*, timeout-*, oom-*) lands in build-fuzz/fuzz/artifacts/: minimise it
# with `build-fuzz/tests/fuzz/fuzz_HARNESS -minimize_crash=1 -runs=10000 FILE`, fix the bug, and add
# the input to tests/data/crash/ (docs/testing.md). Exit status: 0 when nothing was found.
set -euo pipefail

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

runs=1000000
per_input=10
total_time=3600
max_len=8192
replay=0
seed_budget_ms=200
harnesses=()
while (($# > 0)); do
    case "$1" in
    -n) runs="$2"; shift 2 ;;
    -t) per_input="$2"; shift 2 ;;
    -T) total_time="$2"; shift 2 ;;
    -m) max_len="$2"; shift 2 ;;
    -s) seed_budget_ms="$2"; shift 2 ;;
    --replay) replay=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    load | run | mrt | bgpmsg) harnesses+=("$1"); shift ;;
    *) arsim_die "unknown argument '$1' (try --help)" ;;
    esac
done
((${#harnesses[@]} > 0)) || harnesses=(load run mrt bgpmsg)

# The fuzzing build has its own tree and compiler; never the normal build/.
ensure_packages clang libclang-rt-14-dev
fuzz_build="${ARSIM_FUZZ_BUILD_DIR:-build-fuzz}"
[[ "$fuzz_build" == /* ]] || fuzz_build="$ARSIM_ROOT/$fuzz_build"
if [[ ! -f "$fuzz_build/build.ninja" ]]; then
    arsim_log "configuring $fuzz_build (clang, -Dfuzz=true)"
    CC=clang meson setup -Dfuzz=true -Dbuildtype=debugoptimized -Db_lundef=false \
        "$fuzz_build" "$ARSIM_ROOT" >&2 || arsim_die "meson setup failed (see above)"
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("tests/fuzz/fuzz_$h"); done
ninja -C "$fuzz_build" "${targets[@]}" >&2 ||
    arsim_die "building the harnesses failed; is \"if get_option('fuzz') subdir('tests/fuzz') endif\" in meson.build?"

work="$fuzz_build/fuzz"
mkdir -p -- "$work/artifacts"
seeds=()
for d in scenarios tests/data/bad tests/data/crash tests/fuzz/seeds tests/fuzz/seeds-mrt tests/fuzz/seeds-bgp; do
    [[ -d "$ARSIM_ROOT/$d" ]] && seeds+=("$ARSIM_ROOT/$d")
done

# Leaks are errors (LeakSanitizer runs after each input); stop at the first UBSan report.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export G_SLICE=always-malloc

if ((replay)); then
    status=0
    for h in "${harnesses[@]}"; do
        files=()
        for d in "${seeds[@]}"; do
            for f in "$d"/*.json "$d"/*.mrt "$d"/*.txt "$d"/*.bgp; do [[ -f "$f" ]] && files+=("$f"); done
        done
        if "$fuzz_build/tests/fuzz/fuzz_$h" -runs=1 -timeout="$per_input" "${files[@]}" >"$work/replay-$h.log" 2>&1; then
            # libFuzzer prints "Executed FILE in N ms" per input.
            slowest="$(grep -oE '^Executed .* in [0-9]+ ms' "$work/replay-$h.log" | sort -t' ' -k4 -n | tail -n 1)"
            ms="$(grep -oE '[0-9]+ ms$' <<<"$slowest" | grep -oE '^[0-9]+' || echo 0)"
            echo "fuzz_$h: replayed ${#files[@]} inputs: no crash, no leak; slowest: ${slowest#Executed }"
            if ((ms > seed_budget_ms)); then
                echo "fuzz_$h: FAILED: an input took ${ms} ms, over the ${seed_budget_ms} ms budget (-s; on a loaded machine, retry)"
                status=1
            fi
        else
            echo "fuzz_$h: FAILED replaying ${#files[@]} inputs; see ${work#"$ARSIM_ROOT"/}/replay-$h.log"
            grep -E 'ERROR|SUMMARY|Running:' "$work/replay-$h.log" | tail -n 5 || true
            status=1
        fi
    done
    exit "$status"
fi

# One fuzzer per harness, side by side on the machine's two cores.
before="$(find "$work/artifacts" -type f | wc -l)"
pids=()
start=$SECONDS
for h in "${harnesses[@]}"; do
    mkdir -p -- "$work/corpus-$h"
    arsim_log "fuzz_$h: $runs executions (input timeout ${per_input}s, at most ${total_time}s); log: ${work#"$ARSIM_ROOT"/}/$h.log"
    "$fuzz_build/tests/fuzz/fuzz_$h" -dict="$ARSIM_ROOT/tests/fuzz/scenario.dict" -max_len="$max_len" \
        -timeout="$per_input" -max_total_time="$total_time" -rss_limit_mb=2048 -runs="$runs" \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$h-" \
        "$work/corpus-$h" "${seeds[@]}" >"$work/$h.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || status=1
done
elapsed=$((SECONDS - start))

for h in "${harnesses[@]}"; do
    log="$work/$h.log"
    execs="$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    secs="$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' || echo '?')"
    cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1 || true)"
    found="$(grep -cE '^==[0-9]+==ERROR|^SUMMARY: |deadly signal|ALARM: working on the last Unit' "$log" || true)"
    echo "fuzz_$h: $execs executions in ${secs}s, ${cov:-cov: ?}, findings: $found"
done
after="$(find "$work/artifacts" -type f | wc -l)"
echo "time: ${elapsed}s; new artifacts: $((after - before)) in ${work#"$ARSIM_ROOT"/}/artifacts/"
((after == before)) || status=1
exit "$status"
