# shellcheck shell=bash
# tools/lib.sh - helpers shared by tools/run.sh, tools/test.sh and .ci/run. Source it, don't run it.
#
# Provides:
#   ARSIM_ROOT          absolute path of the repository (found from this file's own location)
#   ARSIM_BUILD         build directory: $ARSIM_BUILD_DIR if set (relative to the repo root), else build
#   ensure_packages     install the Debian 12 packages needed to build arsim (plus any names given)
#   ARSIM_TEST_PACKAGES what tools/test.sh installs besides: tools the tests run
#   ensure_build        configure the build directory if needed, then compile (ninja); exits on failure
#   arsim_log / arsim_die
#
# Environment:
#   ARSIM_WERROR=1      configure with -Dwerror=true (CI sets it); anything else means werror=false
#   ARSIM_BUILD_DIR     alternative build directory, e.g. build-asan for the sanitizer build
#   ARSIM_SANITIZE=1    configure the build directory with AddressSanitizer + UndefinedBehaviorSanitizer
#                       (-Db_sanitize=address,undefined -Db_lundef=false, buildtype debug), and export the
#                       sanitizer options every test process inherits (see arsim_sanitizer_env). Use it
#                       with its own ARSIM_BUILD_DIR: .ci/run's second pass is
#                       ARSIM_SANITIZE=1 ARSIM_BUILD_DIR=build-asan tools/test.sh

# Packages needed to build and test arsim on Debian 12 (bookworm).
ARSIM_DEB_PACKAGES=(gcc libc6-dev meson ninja-build pkg-config libglib2.0-dev libglib2.0-dev-bin libcjson-dev libgraphviz-dev libcairo2-dev)
# Tools the tests run besides arsim (tools/test.sh installs them): chromium for the HTML report's
# browser test (tests/test_report.c), bgpdump to read the MRT files --mrt-out writes (tests/test_mrt.c),
# groff-base and man-db to render the generated man pages (tests/test_dist.c: groff -ww -z, man -l),
# Open MPI so that the build has the optional MPI sweep (meson -Dmpi=auto) and tests/test_sweep.c runs
# it with mpirun -n 2, bird2 as the real NVA arsim live speaks BGP to (tests/test_live.c, as root).
# Each test skips, saying why, when its tool is missing.
ARSIM_TEST_PACKAGES=(chromium bgpdump groff-base man-db libopenmpi-dev openmpi-bin bird2)

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

# _arsim_configured OPTION: prints the value a scalar meson option (werror, b_sanitize, buildtype)
# was configured with, or nothing if unknown.
_arsim_configured() {
    local info="$ARSIM_BUILD/meson-info/intro-buildoptions.json"
    [[ -r "$info" ]] || return 0
    # One JSON array of option objects: split it into objects, keep the option's, print its value.
    tr '{}' '\n' <"$info" | grep -E "\"name\": *\"$1\"" | grep -oE '"value": *("[^"]*"|true|false)' |
        sed -E 's/^"value": *//; s/^"(.*)"$/\1/' | head -n 1 || true
}
_arsim_configured_werror() { _arsim_configured werror; }

# Meson options of a sanitizer build (ARSIM_SANITIZE=1). b_lundef=false: the sanitizer runtimes
# resolve some symbols at load time, which -Wl,--no-undefined would refuse.
# shellcheck disable=SC2054 # the comma belongs to the meson value
ARSIM_SANITIZE_OPTS=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)

# arsim_sanitizer_env: exports what a process built with sanitizers needs to fail loudly and usefully.
#   ASAN_OPTIONS / UBSAN_OPTIONS  stop at the first error (exit non-zero) with a stack trace; UBSan's
#                                 checks are recoverable by default and would only print otherwise
#   LSAN_OPTIONS                  leaks are errors, except Graphviz/fontconfig internals (tools/lsan.supp)
#   G_SLICE=always-malloc         GLib 2.74's slice allocator would hide leaked GHashTable, GArray,
#                                 GString... headers inside its magazines
# Options already in the environment are kept and win (they come last).
arsim_sanitizer_env() {
    export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    export LSAN_OPTIONS="suppressions=$ARSIM_ROOT/tools/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    export G_SLICE=always-malloc
}

# ensure_build: configure the build directory if needed (honouring ARSIM_WERROR and ARSIM_SANITIZE),
# then compile. Build output goes to stderr. Exits on any failure. With ARSIM_SANITIZE=1 it also
# exports the sanitizer options (arsim_sanitizer_env).
ensure_build() {
    local werror=false current sanitize=none what
    local -a opts
    [[ "${ARSIM_WERROR:-0}" == 1 ]] && werror=true
    opts=(-Dwerror="$werror")
    if [[ "${ARSIM_SANITIZE:-0}" == 1 ]]; then
        sanitize=address,undefined
        opts+=("${ARSIM_SANITIZE_OPTS[@]}")
        arsim_sanitizer_env
    fi
    what="werror=$werror, sanitize=$sanitize"

    if [[ ! -f "$ARSIM_BUILD/meson-private/coredata.dat" ]]; then
        arsim_log "configuring $ARSIM_BUILD ($what)"
        meson setup "${opts[@]}" "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 ||
            arsim_die "meson setup failed (see above)"
    elif [[ ! -f "$ARSIM_BUILD/build.ninja" ]]; then
        arsim_log "reconfiguring $ARSIM_BUILD ($what): its previous setup did not finish"
        meson setup --reconfigure "${opts[@]}" "$ARSIM_BUILD" "$ARSIM_ROOT" >&2 ||
            arsim_die "meson setup --reconfigure failed (see above)"
    else
        current="$(_arsim_configured werror)"
        if [[ "$current" != "$werror" ]]; then
            arsim_log "reconfiguring $ARSIM_BUILD: werror=${current:-unknown} -> werror=$werror"
            meson configure -Dwerror="$werror" "$ARSIM_BUILD" >&2 ||
                arsim_die "meson configure failed (see above)"
        fi
        current="$(_arsim_configured b_sanitize)"
        if [[ "${current:-none}" != "$sanitize" ]]; then
            # Only a tree this script would configure that way is switched: never strip the
            # sanitizers from a tree someone configured with them by hand.
            if [[ "$sanitize" == none ]]; then
                arsim_log "note: $ARSIM_BUILD is configured with b_sanitize=$current; set ARSIM_SANITIZE=1 for its options"
            else
                arsim_log "reconfiguring $ARSIM_BUILD: b_sanitize=${current:-unknown} -> $sanitize"
                meson configure "${ARSIM_SANITIZE_OPTS[@]}" "$ARSIM_BUILD" >&2 ||
                    arsim_die "meson configure failed (see above)"
            fi
        fi
    fi

    # Stay silent when everything is up to date; otherwise show ninja's progress and errors.
    local dry
    dry="$(ninja -C "$ARSIM_BUILD" -n 2>&1 || true)"
    [[ "$dry" == *"ninja: no work to do."* ]] && return 0
    ninja -C "$ARSIM_BUILD" >&2 || arsim_die "build failed (see the compiler errors above)"
}
