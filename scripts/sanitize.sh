#!/usr/bin/env bash
# The whole test suite (ctest: unit, lab and wizard tests) on a build with
# AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer: the first
# report ends the program with an error, which fails its test.
#
#   scripts/sanitize.sh [CTEST ARGS...]      e.g. scripts/sanitize.sh -R lab_targets
#
# BUILD_DIR (default build-sanitize) is the build. Leaks are checked in our
# code and in the libraries (no suppressions: none has been needed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-sanitize}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPTRWIZ_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

# abort_on_error: a core-style exit the tests cannot mistake for a verdict.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=print_suppressions=0:suppressions=$root/scripts/lsan.supp
cd "$build"
ctest --output-on-failure -j"${PTRWIZ_TEST_JOBS:-$(($(nproc) * 2))}" "$@"
