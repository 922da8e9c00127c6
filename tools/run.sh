#!/usr/bin/env bash
# tools/run.sh - build arsim if needed, then run it.
#   tools/run.sh             the flagship demo (DEMO below)
#   tools/run.sh ARGS...     build/arsim ARGS... (paths are relative to your current directory)
# Installs missing Debian packages first when run as root (see tools/lib.sh).
set -euo pipefail

# The flagship demo: arguments to build/arsim, relative to the repository root, and what it shows.
DEMO=(compare scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true)
DEMO_WHAT='what changes when branch-to-branch is enabled beside ExpressRoute and an SD-WAN NVA'

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

# shellcheck disable=SC2119 # no extra packages needed
ensure_packages
ensure_build

if (($# == 0)); then
    cd -- "$ARSIM_ROOT"
    printf '== demo: %s\n== arsim %s\n\n' "$DEMO_WHAT" "${DEMO[*]}"
    # compare exits 1 when the configurations differ, which is the point of the demo.
    status=0
    "$ARSIM_BUILD/arsim" "${DEMO[@]}" || status=$?
    ((status <= 1)) || exit "$status"
    exit 0
fi
exec "$ARSIM_BUILD/arsim" "$@"
