#!/usr/bin/env bash
# The README's second command: installs what is needed, builds, and runs every
# test: cmocka unit tests, the lab tests against real DNS servers in a private
# network namespace, the wizard in tmux; then the same suite under ASan+UBSan,
# valgrind on checks and traces, and a short fuzzing run. .ci/run calls
# exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/deps.sh test
werror=OFF
[ "${CI:-}" = true ] && werror=ON
BUILD_DIR=$root/build bash scripts/build.sh -DPTRWIZ_WERROR=$werror

# Lab and wizard tests mostly wait on timeouts they provoke: twice as many
# as there are cores keeps the CPU busy (they poll for states, so a busy
# machine makes them slower, never wrong).
jobs=${PTRWIZ_TEST_JOBS:-$(($(nproc) * 2))}
export PTRWIZ_TEST_JOBS=$jobs
echo "== tests (ctest -j$jobs)"
(cd build && ctest --output-on-failure -j"$jobs")

if [ "${PTRWIZ_SKIP_SANITIZE:-}" != 1 ] && [ -f scripts/sanitize.sh ]; then
        echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
        bash scripts/sanitize.sh
fi
echo "== valgrind memcheck of checks and traces in the lab"
PTRWIZ=$root/build/ptrwiz LAB_TOOL_DIR=$root/build/tests/labtools bash scripts/valgrind.sh
if [ "${PTRWIZ_SKIP_FUZZ:-}" != 1 ] && [ -f scripts/fuzz.sh ]; then
        echo "== fuzzing (short)"
        bash scripts/fuzz.sh 10
fi
echo "== all tests passed"
