#!/usr/bin/env bash
# The README's first command: installs what ptrwiz needs, builds it, starts
# the bundled DNS lab (real NSD servers with a private root, in a private
# network namespace, so it works on a machine without outside DNS) and runs
# ptrwiz against it: the wizard on a terminal, else `check` on a few lab
# scenarios. Arguments are passed to ptrwiz (e.g. an IP, or "check IP").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh build
BUILD_DIR=$root/build bash scripts/build.sh >/dev/null
echo "built $root/build/ptrwiz; starting the lab..." >&2
PTRWIZ=$root/build/ptrwiz LAB_TOOL_DIR=$root/build/tests/labtools \
        exec bash tests/lab/in-lab.sh bash scripts/lab-demo.sh "$@"
