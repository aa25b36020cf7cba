#!/usr/bin/env bash
# The test command (`CI=true bash .ci/run`) N times in a row (default 5),
# each on a fresh clone of this repository's HEAD (as CI runs it), while every core is kept busy by `yes >/dev/null`
# (started here, stopped by PID at the end): a test whose verdict depends on
# the machine's speed fails here. Prints one line per run (exit, minutes) and
# keeps each run's log in LOG_DIR (default /var/tmp/ptrwiz-loaded).
#
#   scripts/loaded-runs.sh [N]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
logs=${LOG_DIR:-/var/tmp/ptrwiz-loaded}
mkdir -p "$logs"
clone=$(mktemp -d /var/tmp/ptrwiz-loaded-clone.XXXXXX)
# Every run tests the commit HEAD was at the start, whatever lands meanwhile.
commit=$(git -C "$root" rev-parse HEAD)
echo "loaded runs of $(git -C "$root" log --oneline -1 | cut -c1-70), logs in $logs"

pids=()
stop_load() {
        [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
        pids=()
}
trap stop_load EXIT
for ((i = 0; i < $(nproc); i++)); do
        yes >/dev/null &
        pids+=($!)
done
echo "load: ${#pids[*]} x yes (PIDs ${pids[*]})"

failed=0
for ((run = 1; run <= runs; run++)); do
        start=$SECONDS
        rm -rf "$clone/src"
        git clone -q "$root" "$clone/src" && git -C "$clone/src" checkout -q "$commit" || exit 1
        (cd "$clone/src" && CI=true bash .ci/run) >"$logs/run-$run.log" 2>&1
        rc=$?
        secs=$((SECONDS - start))
        fails=$(grep -E '^\s+[0-9]+ - ' "$logs/run-$run.log" | tr -s ' ' | tr '\n' ';')
        echo "run $run: exit $rc in $((secs / 60)) min $((secs % 60)) s, load $(cut -d' ' -f1-3 /proc/loadavg)${fails:+, failed: $fails}"
        [ $rc -eq 0 ] || failed=$((failed + 1))
done
stop_load
echo "$((runs - failed)) of $runs runs passed under load"
rm -rf "$clone"
[ $failed -eq 0 ]
