#!/usr/bin/env bash
# tools/estimate-check.sh - checks arsim's memory estimate (settings.maxMemoryMiB) against the real peak RSS of every command.
#
#   tools/estimate-check.sh [--only LIST] [--commands LIST] [-o FILE]
#     --only LIST      scenarios to measure (comma-separated; default all):
#                      er10k, er100k, er1m  B5's shape (8 NVAs behind the Route Server, 1 spoke) with
#                                           10k, 100k, 1M ExpressRoute prefixes, limits lifted
#                      b2                   B2, Azure's maximum (500 spokes, 8 NVAs x 1000 routes, 10k ER)
#                      spokes               many spokes: 2000 spokes, 4 NVAs x 100 routes, 2000 ER prefixes
#     --commands LIST  commands to run (default all): run, run-json, compare, compare-json, trace, graph, report
#     -o FILE          also write the rows as JSON lines there
#
# A benchmark, not a test: run it on a quiet machine after changing the engine's or an output's data
# structures. Each scenario comes from `arsim generate`; `arsim validate` prints the estimate of
# every command ("estimated peak memory: run N MiB, graph N MiB, ..."; --json streams, so it has
# the text form's estimate), then each command runs as its own process
# under GNU time (peak RSS, %M), with its virtual memory capped at about 8 GB. Prints one row per
# scenario and command: estimate, peak, estimate / peak. Exits 1 when any peak is above its
# estimate (the estimate must be an upper bound), 0 otherwise. Builds in build-release like
# tools/bench.sh (ARSIM_BENCH_BUILD_DIR overrides it).
set -euo pipefail

export ARSIM_BUILD_DIR="${ARSIM_BENCH_BUILD_DIR:-build-release}"
# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

only="er10k,er100k,er1m,b2,spokes"
commands="run,run-json,compare,compare-json,trace,graph,report"
json=""
while (($#)); do
    case "$1" in
    --only) only="$2"; shift 2 ;;
    --commands) commands="$2"; shift 2 ;;
    -o) json="$2"; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) arsim_die "unknown argument: $1 (try --help)" ;;
    esac
done

ensure_packages time
if [[ ! -f "$ARSIM_BUILD/meson-private/coredata.dat" ]]; then
    arsim_log "configuring $ARSIM_BUILD (buildtype=release)"
    meson setup -Dbuildtype=release "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 || arsim_die "meson setup failed"
fi
ensure_build
arsim="$ARSIM_BUILD/arsim"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/arsim-estimate.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT
[[ -z "$json" ]] || : >"$json"

B3_ARGS=(--spokes 1 --nvas 8 --routes-per-nva 10 --circuit-sku Premium --branch-to-branch --lift-limits)
B2_ARGS=(--spokes 500 --nvas 8 --routes-per-nva 1000 --er-prefixes 10000 --circuit-sku Premium --vpn-sites 4
    --prefixes-per-site 100 --branch-to-branch --lift-limits)
SPOKES_ARGS=(--spokes 2000 --nvas 4 --routes-per-nva 100 --er-prefixes 2000 --circuit-sku Premium --branch-to-branch
    --lift-limits)

# gen NAME: writes scenario NAME to $tmp/NAME.json.
gen() {
    local -a args
    case "$1" in
    er10k) args=("${B3_ARGS[@]}" --er-prefixes 10000) ;;
    er100k) args=("${B3_ARGS[@]}" --er-prefixes 100000) ;;
    er1m) args=("${B3_ARGS[@]}" --er-prefixes 1000000) ;;
    b2) args=("${B2_ARGS[@]}") ;;
    spokes) args=("${SPOKES_ARGS[@]}") ;;
    *) arsim_die "unknown scenario: $1 (try --help)" ;;
    esac
    "$arsim" generate "${args[@]}" -o "$tmp/$1.json"
}

# command_args COMMAND FILE: the arsim arguments of one command (compare turns branch-to-branch off,
# trace goes from the first spoke to the ExpressRoute site); outputs go to $tmp/out.*.
command_args() {
    local file="$2" flip=(--set routeServers.ars.allowBranchToBranchTraffic=false)
    case "$1" in
    run) echo run "$file" -o "$tmp/out.txt" ;;
    run-json) echo run --json "$file" -o "$tmp/out.json" ;;
    compare) echo compare "$file" "${flip[@]}" -o "$tmp/out.txt" ;;
    compare-json) echo compare --json "$file" "${flip[@]}" -o "$tmp/out.json" ;;
    trace) echo trace "$file" --from spoke1 --to onprem-er ;;
    graph) echo graph "$file" -o "$tmp/out.svg" ;;
    report) echo report "$file" -o "$tmp/out.html" ;;
    *) arsim_die "unknown command: $1 (try --help)" ;;
    esac
}

failed=0
printf '%-8s %-13s %12s %10s %8s\n' scenario command estimateMiB peakMiB est/peak
IFS=, read -r -a scenarios <<<"$only"
IFS=, read -r -a cmds <<<"$commands"
for name in "${scenarios[@]}"; do
    arsim_log "$name: generating"
    gen "$name"
    file="$tmp/$name.json"
    "$arsim" validate "$file" >"$tmp/validate.txt" 2>&1 || arsim_die "$name: arsim validate failed: $(tail -n 3 "$tmp/validate.txt")"
    line="$(grep -m1 'estimated peak memory:' "$tmp/validate.txt")" || arsim_die "$name: validate printed no estimate"
    for cmd in "${cmds[@]}"; do
        label="${cmd/-json/ --json}"
        key="${cmd%-json}" # --json streams: the same estimate as the text form
        # "compare 123 MiB" in the validate line ("report --compare" is another key).
        est="$(sed -E "s/.*[:,] ${key} ([0-9]+) MiB.*/\1/;t;d" <<<"$line")"
        [[ -n "$est" ]] || arsim_die "$name: no estimate for '$key' in: $line"
        read -r -a args <<<"$(command_args "$cmd" "$file")"
        arsim_log "$name: arsim ${args[*]##*/}"
        status=0
        (ulimit -v 8000000; /usr/bin/time -f '%M' -o "$tmp/time.txt" "$arsim" "${args[@]}" >/dev/null 2>"$tmp/err.txt") ||
            status=$?
        # 0 and 1 (differences, not delivered, not converged) are results; anything else failed.
        ((status <= 1)) || arsim_die "$name $label failed (status $status): $(tail -n 3 "$tmp/err.txt")"
        kib="$(tail -n 1 "$tmp/time.txt")"
        peak=$(((kib + 1023) / 1024))
        ratio="$(awk -v e="$est" -v p="$peak" 'BEGIN { printf "%.2f", e / p }')"
        mark=""
        if ((peak > est)); then
            mark="  PEAK ABOVE ESTIMATE"
            failed=1
        fi
        printf '%-8s %-13s %12s %10s %8s%s\n' "$name" "$label" "$est" "$peak" "$ratio" "$mark"
        [[ -z "$json" ]] || printf '{"scenario":"%s","command":"%s","estimateMiB":%s,"peakMiB":%s}\n' \
            "$name" "$label" "$est" "$peak" >>"$json"
        rm -f -- "$tmp"/out.*
    done
    rm -f -- "$file"
done
((failed == 0)) || arsim_die "some peaks are above their estimate (see PEAK ABOVE ESTIMATE)"
