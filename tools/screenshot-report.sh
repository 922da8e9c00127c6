#!/usr/bin/env bash
# tools/screenshot-report.sh - the README's picture of `arsim report`: docs/img/report.png.
#   tools/screenshot-report.sh           build if needed, report the flagship comparison, photograph it
#   tools/screenshot-report.sh OUT.png   write the picture elsewhere
# It runs headless Chromium exactly as tests/test_report.c does (Debian's chromium package, installed
# first when run as root, see tools/lib.sh), and fails if the page logs anything to the console or
# its script did not draw the comparison (the page is one JSON data block the script draws).
set -euo pipefail

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages chromium
ensure_build

out="${1:-$ARSIM_ROOT/docs/img/report.png}"
[[ "$out" == /* ]] || out="$PWD/$out"
tmp="$(mktemp -d)"
trap 'rm -rf -- "$tmp"' EXIT

# Relative paths, so the page names scenarios/seed-er-sdwan.json rather than this checkout's path.
cd -- "$ARSIM_ROOT"
"$ARSIM_BUILD/arsim" report scenarios/seed-er-sdwan.json \
    --compare-set routeServers.ars.allowBranchToBranchTraffic=true -o "$tmp/report.html"

# chromium ACTION: headless Chromium on the page with one action (--screenshot=..., --dump-dom), its
# output in $tmp/chromium.out; dies if it fails or the page logs anything to the console.
chromium_on_page() {
    local status=0
    rm -rf -- "$tmp/profile"
    timeout -k 5 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
        --enable-logging=stderr --v=0 --window-size=1400,2000 "$1" \
        "file://$tmp/report.html" >"$tmp/chromium.out" 2>"$tmp/chromium.log" || status=$?
    ((status != 124)) || arsim_die "Chromium did not finish within 120 s"
    ((status == 0)) || arsim_die "Chromium failed (exit $status); its log: $(tail -n 20 "$tmp/chromium.log")"
    if grep -E ':CONSOLE|Uncaught' "$tmp/chromium.log" >&2; then
        arsim_die "the page logged to the console (above)"
    fi
}

# What the script drew: the page marked ready, the comparison, both grids and the diagram.
chromium_on_page --dump-dom
for want in 'data-js="ready"' '<h2>What changes: enabling branch-to-branch</h2>' 'id="reach-grid-after"' \
    '<figure class="fig" id="diagram"><svg' '<td class="no changed"'; do
    grep -qF -- "$want" "$tmp/chromium.out" || arsim_die "the drawn page lacks: $want"
done

chromium_on_page --screenshot="$tmp/shot.png"
[[ -s "$tmp/shot.png" ]] || arsim_die "Chromium wrote no screenshot"

mkdir -p -- "$(dirname -- "$out")"
cp -- "$tmp/shot.png" "$out"
printf '%s: %s bytes\n' "$out" "$(wc -c <"$out")"
