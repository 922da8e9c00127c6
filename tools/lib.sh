# shellcheck shell=bash
# tools/lib.sh - helpers shared by tools/run.sh, tools/test.sh and .ci/run. Source it, don't run it.
#
# Provides:
#   ARSIM_ROOT          absolute path of the repository (found from this file's own location)
#   ARSIM_BUILD         build directory: $ARSIM_BUILD_DIR if set (relative to the repo root), else build
#   ensure_packages     install the Debian 12 packages needed to build arsim (plus any names given)
#   ensure_build        configure the build directory if needed, then compile (ninja); exits on failure
#   arsim_log / arsim_die
#
# Environment:
#   ARSIM_WERROR=1      configure with -Dwerror=true (CI sets it); anything else means werror=false
#   ARSIM_BUILD_DIR     alternative build directory, e.g. for a sanitizer build

# Packages needed to build and test arsim on Debian 12 (bookworm).
ARSIM_DEB_PACKAGES=(gcc libc6-dev meson ninja-build pkg-config libglib2.0-dev libcjson-dev libgraphviz-dev libcairo2-dev)

ARSIM_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
ARSIM_BUILD="${ARSIM_BUILD_DIR:-build}"
[[ "$ARSIM_BUILD" == /* ]] || ARSIM_BUILD="$ARSIM_ROOT/$ARSIM_BUILD"

# Messages go to stderr so that stdout carries only the command's own output.
arsim_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
arsim_die() {
    printf '%s: error: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# _arsim_apt LOG ARGS... : apt-get ARGS with its output appended to LOG. On failure, shows the end of LOG.
_arsim_apt() {
    local log="$1"
    shift
    printf '\n$ apt-get %s\n' "$*" >>"$log"
    if ! DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0 "$@" >>"$log" 2>&1 </dev/null; then
        printf '%s: error: apt-get %s failed; last lines of its output (full log: %s):\n' "${0##*/}" "$1" "$log" >&2
        tail -n 40 -- "$log" >&2
        exit 1
    fi
}

# ensure_packages [EXTRA_PACKAGE...]
# Installs whichever of ARSIM_DEB_PACKAGES and the given packages are missing (as root), or tells how
# to install them and exits with status 2 (as any other user).
ensure_packages() {
    local -a wanted=("${ARSIM_DEB_PACKAGES[@]}" "$@") missing=()
    local pkg log

    if ! command -v dpkg-query >/dev/null 2>&1; then
        arsim_log "warning: dpkg-query not found (not Debian?); not checking for: ${wanted[*]}"
        return 0
    fi
    for pkg in "${wanted[@]}"; do
        if [[ "$(dpkg-query -W -f='${db:Status-Status}' -- "$pkg" 2>/dev/null || true)" != installed ]]; then
            missing+=("$pkg")
        fi
    done
    ((${#missing[@]} > 0)) || return 0

    if ((EUID != 0)); then
        arsim_log "missing Debian packages: ${missing[*]}"
        arsim_log "install them with:"
        printf 'sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
        exit 2
    fi

    arsim_log "installing missing Debian packages: ${missing[*]}"
    log="$(mktemp "${TMPDIR:-/tmp}/arsim-apt.XXXXXX")"
    _arsim_apt "$log" update
    _arsim_apt "$log" install -y --no-install-recommends "${missing[@]}"
    # apt-get can succeed with warnings worth seeing (e.g. an index that failed to download).
    grep -E '^(W|E|Err):' -- "$log" >&2 || true
    rm -f -- "$log"

    for pkg in "${missing[@]}"; do
        [[ "$(dpkg-query -W -f='${db:Status-Status}' -- "$pkg" 2>/dev/null || true)" == installed ]] ||
            arsim_die "package $pkg is still not installed after apt-get install"
    done
}

# Prints the werror value (true/false) the build directory was configured with, or nothing if unknown.
_arsim_configured_werror() {
    local info="$ARSIM_BUILD/meson-info/intro-buildoptions.json"
    [[ -r "$info" ]] || return 0
    # One JSON array of option objects: split it into objects, keep werror's, print its value.
    tr '{}' '\n' <"$info" | grep -E '"name": *"werror"' | grep -oE '"value": *(true|false)' |
        sed -E 's/.*(true|false)$/\1/' | head -n 1 || true
}

# ensure_build: configure the build directory if needed (honouring ARSIM_WERROR), then compile.
# Build output goes to stderr. Exits on any failure.
ensure_build() {
    local werror=false current
    [[ "${ARSIM_WERROR:-0}" == 1 ]] && werror=true

    if [[ ! -f "$ARSIM_BUILD/meson-private/coredata.dat" ]]; then
        arsim_log "configuring $ARSIM_BUILD (werror=$werror)"
        meson setup -Dwerror="$werror" "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 ||
            arsim_die "meson setup failed (see above)"
    elif [[ ! -f "$ARSIM_BUILD/build.ninja" ]]; then
        arsim_log "reconfiguring $ARSIM_BUILD (werror=$werror): its previous setup did not finish"
        meson setup --reconfigure -Dwerror="$werror" "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 ||
            arsim_die "meson setup --reconfigure failed (see above)"
    else
        current="$(_arsim_configured_werror)"
        if [[ "$current" != "$werror" ]]; then
            arsim_log "reconfiguring $ARSIM_BUILD: werror=${current:-unknown} -> werror=$werror"
            meson configure -Dwerror="$werror" "$ARSIM_BUILD" >&2 ||
                arsim_die "meson configure failed (see above)"
        fi
    fi

    # Stay silent when everything is up to date; otherwise show ninja's progress and errors.
    local dry
    dry="$(ninja -C "$ARSIM_BUILD" -n 2>&1 || true)"
    [[ "$dry" == *"ninja: no work to do."* ]] && return 0
    ninja -C "$ARSIM_BUILD" >&2 || arsim_die "build failed (see the compiler errors above)"
}
