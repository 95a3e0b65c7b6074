#!/usr/bin/env bash
# test.sh: set up Debian 12, check the source layout, then build ikrar twice and run every test
# with each build:
#
#   1. build/ci-release  optimised, warnings as errors
#   2. build/ci-asan     Debug under AddressSanitizer and UndefinedBehaviorSanitizer
#
# Both builds run even when the first fails, so one run shows everything that is wrong;
# the exit status is 0 only when both built and passed. Works from any directory.
# IKRAR_JOBS sets the parallelism (default 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
jobs=${IKRAR_JOBS:-2}

# A build folder copied or moved from another checkout confuses CMake; start it afresh.
forget_foreign_build() {
    local cache=$1/CMakeCache.txt
    if [ -f "$cache" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
        echo "($1 was configured for another source folder; removing it)"
        rm -rf -- "$1"
    fi
}

section() {
    printf '\n==================== %s ====================\n' "$*"
}

results=()
failed=0

# step NAME COMMAND...: runs the command, notes pass or fail with its time, and returns its status.
step() {
    local name=$1 start end rc=0
    shift
    start=$(date +%s)
    "$@" || rc=$?
    end=$(date +%s)
    if [ "$rc" -eq 0 ]; then
        results+=("PASS  $name ($((end - start)) s)")
    else
        results+=("FAIL  $name (exit $rc, $((end - start)) s)")
        failed=1
    fi
    return "$rc"
}

# build_and_test NAME DIR CMAKE-ARGS...: configure, build, ctest; tests are skipped if it does not build.
build_and_test() {
    local name=$1 dir=$2
    shift 2
    section "$name: configure and build in $dir"
    forget_foreign_build "$dir"
    if step "$name configure" cmake -S . -B "$dir" "$@" &&
        step "$name build" cmake --build "$dir" -j "$jobs"; then
        section "$name: ctest"
        step "$name tests" bash -c 'cd "$1" && ctest --output-on-failure --no-tests=error -j "$2"' _ "$dir" "$jobs" ||
            true
    fi
}

section "Debian packages"
if ! step "setup-debian.sh" bash scripts/setup-debian.sh; then
    echo "test.sh: could not install what the build needs; stopping." >&2
    exit 1
fi

section "Layout (clang-format)"
step "check-format.sh" bash scripts/check-format.sh || true

build_and_test "release" build/ci-release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIKRAR_WERROR=ON

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build_and_test "asan+ubsan" build/ci-asan -DCMAKE_BUILD_TYPE=Debug -DIKRAR_SANITIZE=ON \
    -DIKRAR_WERROR=ON

section "Summary"
printf '  %s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
    echo "test.sh: FAILED"
    exit 1
fi
echo "test.sh: all passed"
