#!/usr/bin/env bash
# tools/run.sh - build arsim if needed, then run it.
#   tools/run.sh             the flagship demo (DEMO below)
#   tools/run.sh ARGS...     build/arsim ARGS... (paths are relative to your current directory)
# Installs missing Debian packages first when run as root (see tools/lib.sh).
set -euo pipefail

# The flagship demo: arguments to build/arsim, relative to the repository root, and what it shows.
DEMO=(run scenarios/seed-er-sdwan.json)
DEMO_WHAT='ExpressRoute + SD-WAN NVA via Azure Route Server (branch-to-branch off): every router'"'"'s routes and each VNet'"'"'s effective routes'

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

# shellcheck disable=SC2119 # no extra packages needed
ensure_packages
ensure_build

if (($# == 0)); then
    cd -- "$ARSIM_ROOT"
    printf '== demo: %s -- arsim %s\n' "$DEMO_WHAT" "${DEMO[*]}"
    exec "$ARSIM_BUILD/arsim" "${DEMO[@]}"
fi
exec "$ARSIM_BUILD/arsim" "$@"
