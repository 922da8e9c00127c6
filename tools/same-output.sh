#!/usr/bin/env bash
# tools/same-output.sh - checks that two builds of arsim print the same bytes (issue 13: an engine
# redesign changes no output). Builds the base revision in a temporary git worktree, then runs both
# binaries on every scenario and compares what they print.
#
#   tools/same-output.sh [--base REV] [--base-bin PATH] [--keep] [FILE...]
#     --base REV       revision to compare against (default: main)
#     --base-bin PATH  use this arsim binary as the base instead of building REV
#     --keep           keep the temporary folder (outputs of both sides) and print its path
#     FILE...          scenarios (default: every scenarios/*.json)
#
# For each scenario: `run`, `run --json`, `run --json --all` (every VNet expanded), `run --timeline`,
# `run --trace` (every message and timer, JSON lines), `compare FILE NEXT` (NEXT: the next file of
# the list, so that compare has differences to print, text and --json), `graph FILE -o x.dot`, and
# `trace` (text and --json) from every site to every VNet and from every VNet to every site (names
# read with jq). Exit status 0
# when every output is byte-identical, 1 when one differs (the first lines of each diff are shown),
# 2 on bad arguments. The current tree is built in build/ (ARSIM_BUILD_DIR overrides it).
set -euo pipefail

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

base=main
base_bin=""
keep=0
files=()
while (($#)); do
    case "$1" in
    --base) base="$2"; shift 2 ;;
    --base-bin) base_bin="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) printf 'same-output.sh: unknown option %s (try --help)\n' "$1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
    esac
done
if ((${#files[@]} == 0)); then
    for f in "$ARSIM_ROOT"/scenarios/*.json; do files+=("$f"); done
fi

ensure_packages jq
ensure_build
new_bin="$ARSIM_BUILD/arsim"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/arsim-same.XXXXXX")"
wt=""
cleanup() {
    if [[ -n "$wt" ]]; then git -C "$ARSIM_ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || true; fi
    if ((keep)); then arsim_log "outputs kept in $tmp"; else rm -rf -- "$tmp"; fi
}
trap cleanup EXIT

if [[ -z "$base_bin" ]]; then
    rev="$(git -C "$ARSIM_ROOT" rev-parse --verify "$base^{commit}")" || arsim_die "no revision $base"
    wt="$tmp/base-tree"
    arsim_log "building $base (${rev:0:12}) in a temporary worktree"
    git -C "$ARSIM_ROOT" worktree add --detach "$wt" "$rev" >/dev/null 2>&1 || arsim_die "git worktree add failed"
    meson setup "$wt/build" "$wt" >"$tmp/base-build.log" 2>&1 || arsim_die "meson setup of $base failed (see $tmp/base-build.log)"
    ninja -C "$wt/build" -j 2 arsim >>"$tmp/base-build.log" 2>&1 || arsim_die "building $base failed"
    base_bin="$wt/build/arsim"
fi
[[ -x "$base_bin" ]] || arsim_die "no executable at $base_bin"

# outputs SIDE BIN: every command's output (stdout, and the exit status) under $tmp/SIDE/.
outputs() {
    local side="$1" bin="$2" i f next name st
    mkdir -p "$tmp/$side"
    for i in "${!files[@]}"; do
        f="${files[$i]}"
        next="${files[$(((i + 1) % ${#files[@]}))]}"
        name="$(basename -- "$f" .json)"
        # Exit statuses are part of the output: 1 (compare found differences) and 3 (not settled)
        # are normal answers, not failures of this script.
        st=0; "$bin" run "$f" >"$tmp/$side/$name.run.txt" 2>&1 || st=$?; echo "$st" >>"$tmp/$side/$name.run.txt"
        st=0; "$bin" run --json "$f" >"$tmp/$side/$name.run.json" 2>&1 || st=$?; echo "$st" >>"$tmp/$side/$name.run.json"
        st=0; "$bin" compare "$f" "$next" >"$tmp/$side/$name.compare.txt" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.compare.txt"
        st=0; "$bin" compare --json "$f" "$next" >"$tmp/$side/$name.compare.json" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.compare.json"
        # One output path for both sides: graph's message names it.
        st=0; "$bin" graph "$f" -o "$tmp/graph.dot" >"$tmp/$side/$name.graph.log" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.graph.log"
        if [[ -f "$tmp/graph.dot" ]]; then mv -- "$tmp/graph.dot" "$tmp/$side/$name.dot"; fi
        st=0; "$bin" run --json --all "$f" >"$tmp/$side/$name.run-all.json" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.run-all.json"
        st=0; "$bin" run --timeline "$f" >"$tmp/$side/$name.timeline.txt" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.timeline.txt"
        # One trace path for both sides, as for graph.
        st=0; "$bin" run --trace "$tmp/trace.jsonl" "$f" >"$tmp/$side/$name.trace.log" 2>&1 || st=$?
        echo "$st" >>"$tmp/$side/$name.trace.log"
        if [[ -f "$tmp/trace.jsonl" ]]; then mv -- "$tmp/trace.jsonl" "$tmp/$side/$name.trace.jsonl"; fi
        # Packet traces: every site to every VNet and back (a scenario without either has none).
        local -a sites vnets
        mapfile -t sites < <(jq -r '.sites[]?.name' "$f")
        mapfile -t vnets < <(jq -r '.vnets[]?.name' "$f")
        local s v out
        for s in "${sites[@]}"; do
            for v in "${vnets[@]}"; do
                for out in "$s:$v" "$v:$s"; do
                    st=0; "$bin" trace "$f" --from "${out%%:*}" --to "${out#*:}" \
                        >"$tmp/$side/$name.trace-${out%%:*}-${out#*:}.txt" 2>&1 || st=$?
                    echo "$st" >>"$tmp/$side/$name.trace-${out%%:*}-${out#*:}.txt"
                    st=0; "$bin" trace --json "$f" --from "${out%%:*}" --to "${out#*:}" \
                        >"$tmp/$side/$name.trace-${out%%:*}-${out#*:}.json" 2>&1 || st=$?
                    echo "$st" >>"$tmp/$side/$name.trace-${out%%:*}-${out#*:}.json"
                done
            done
        done
    done
}
outputs base "$base_bin"
outputs new "$new_bin"

differ=0 same=0
for f in "$tmp"/base/*; do
    g="$tmp/new/${f##*/}"
    if cmp -s -- "$f" "$g"; then
        same=$((same + 1))
    else
        differ=$((differ + 1))
        printf 'DIFFERENT: %s\n' "${f##*/}"
        diff -- "$f" "$g" | head -n 10 || true
    fi
done
printf 'same-output.sh: %d outputs identical, %d different (%d scenarios, base %s)\n' "$same" "$differ" \
    "${#files[@]}" "${base_bin#"$tmp"/}"
((differ == 0))
