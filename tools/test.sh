#!/usr/bin/env bash
# tools/test.sh - build arsim if needed, run the test suite, print the totals.
#   tools/test.sh [MESON_TEST_ARGS...]    e.g. tools/test.sh prefix   or   tools/test.sh --repeat 5
# The last line printed is always "N passed, N failed" (N = TAP test cases). Exit status is non-zero
# when anything failed or nothing ran. Needs only bash, coreutils, grep, sed and awk.
set -euo pipefail

# shellcheck source=tools/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

# Tools the tests run (tools/lib.sh): Chromium for the HTML report, bgpdump for MRT output, Open MPI
# for the MPI sweep, BIRD for arsim live.
ensure_packages "${ARSIM_TEST_PACKAGES[@]}"
ensure_build
cd -- "$ARSIM_ROOT"

# Where meson writes this run's log (--logbase changes the name).
logbase=testlog
prev=
for arg in "$@"; do
    [[ "$prev" == --logbase ]] && logbase="$arg"
    [[ "$arg" == --logbase=* ]] && logbase="${arg#--logbase=}"
    prev="$arg"
done
log="$ARSIM_BUILD/meson-logs/$logbase.txt"
rm -f -- "$log" # never count a previous run's results

status=0
meson test -C "$ARSIM_BUILD" --print-errorlogs "$@" || status=$?

# Count TAP lines in the stdout of each test in the log:
#   passed = "ok ..." lines, except "# SKIP"
#   failed = "not ok ..." lines, except expected failures (TAP's to-do directive, g_test_incomplete)
# A test meson lists under "Summary of Failures" with no "not ok" line of its own (it crashed, e.g.
# a GLib assertion's "Bail out!", timed out, or broke the TAP plan) counts as one failure.
# Prints: passed failed skipped tests_run meson_failures
counts="0 0 0 0 0"
if [[ -f "$log" ]]; then
    counts="$(awk '
        /^=+ +[0-9]+\/[0-9]+ +=+$/ { cur = $2; inblock = 1; inout = 0; tests++; next }
        inblock && /^=+$/ { inblock = 0; inout = 0; next }
        inblock && /^-+ (stdout|output) -+$/ { inout = 1; next }
        inblock && /^-+ [a-z]+ -+$/ { inout = 0; next }
        inout && /^ok / { if (tolower($0) ~ /#[ \t]*skip/) skipped++; else passed++; next }
        inout && /^not ok / { if (tolower($0) !~ /#[ \t]*todo/) { failed++; notok[cur]++ }; next }
        inblock { next }
        /^Summary of Failures:/ { insum = 1; next }
        insum && $1 ~ /^[0-9]+\/[0-9]+$/ { bad[$1] = 1; next }
        /^(Fail|Timeout|Unexpected Pass): +[0-9]+/ { mfail += $NF; next }
        END {
            for (t in bad) if (!(t in notok)) failed++
            printf "%d %d %d %d %d\n", passed, failed, skipped, tests, mfail
        }' "$log")"
fi
read -r passed failed skipped ran mfail <<<"$counts"

if ((status != 0 && failed == 0 && ran > 0)); then
    # meson failed yet nothing above was recognised as a failure: trust meson's own count.
    failed=$((mfail > 0 ? mfail : 1))
    echo "note: meson test exited with status $status; counting its failed tests"
fi
((ran > 0)) || echo "note: no test ran (meson test exited with status $status; log: ${log#"$ARSIM_ROOT"/})"
((skipped == 0)) || echo "note: $skipped skipped"
((ran == 0 || passed + failed > 0)) || echo "note: no test case ran to completion"

echo "$passed passed, $failed failed"

if ((failed > 0 || status != 0)); then
    exit $((status != 0 ? status : 1))
fi
((passed > 0)) || exit 1
