#!/usr/bin/env bash
# Bad --root-hints and --trust-anchor files in check, trace and the wizard:
# a directory, a FIFO, /dev/zero, an endless $INCLUDE, a huge file, garbage,
# hints that give no root and anchors that are not the root's. Each is
# exit 3 with one line naming the file, at once: no hang, no lookups that
# time out, no "out of memory", never the real root. A `timeout` guards
# every run (a hang shows as its exit status); nothing checks a duration.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
export XDG_CACHE_HOME=$LAB_DIR/setup-cache
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

d=$LAB_DIR/setup-files
mkdir -p "$d/dir"
mkfifo "$d/fifo"
printf 'garbage here\n\001\002' >"$d/garbage"
printf '; a comment, no records\n' >"$d/no-ns"
printf 'example. 3600 IN NS a.root-servers.net.\na.root-servers.net. 3600 IN A 127.53.0.1\n' >"$d/other-zone"
printf '. 3600 IN NS a.root-servers.net.\n' >"$d/no-addr"
printf '$INCLUDE /dev/zero\n' >"$d/include"
printf '. 3600 IN NS a.\000\n' >"$d/nul"
: >"$d/empty"
truncate -s 2M "$d/huge"
printf '. IN TXT "not an anchor"\n' >"$d/ta-txt"
printf 'example. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n' >"$d/ta-other"

# expect_bad WHAT FILE-SHOWN CMD...: exit 3, nothing on stdout, one line on
# stderr that names the file.
expect_bad() {
        local what=$1 file=$2 out err rc lines
        shift 2
        out=$(timeout -k 5 60 "$@" 2>"$d/stderr" </dev/null)
        rc=$?
        err=$(cat "$d/stderr")
        lines=$(grep -c '' "$d/stderr")
        if [ $rc -eq 3 ] && [ -z "$out" ] && [ "$lines" -eq 1 ] && grep -qF -- "$file" "$d/stderr"; then
                ok "$what: exit 3, $err"
        else
                [ $rc -eq 124 ] || [ $rc -eq 137 ] && rc="$rc (it hung: timeout ended it)"
                bad "$what: exit $rc, $lines stderr lines: $(head -c 400 "$d/stderr"); stdout: $(head -c 200 <<<"$out")"
        fi
}

# every front end, with one bad root hints file
hints_case() { # FILE WHY
        local f=$1 why=$2
        expect_bad "check --quick, root hints $why" "$f" "$ptrwiz" check --quick --root-hints "$f" 198.18.1.10
        expect_bad "check, root hints $why" "$f" "$ptrwiz" check --root-hints "$f" 198.18.1.10
        expect_bad "trace, root hints $why" "$f" "$ptrwiz" trace --root-hints "$f" 198.18.1.10
        # The wizard checks its options before it looks for a terminal.
        expect_bad "wizard, root hints $why" "$f" "$ptrwiz" --root-hints "$f" 198.18.1.10
}

hints_case "$d/dir" "a directory"
hints_case "$d/fifo" "a FIFO"
hints_case /dev/zero "/dev/zero"
hints_case "$d/include" "\$INCLUDE /dev/zero"
hints_case "$d/huge" "of 2 MiB"
hints_case "$d/garbage" "of garbage"
hints_case "$d/nul" "with a NUL byte"
hints_case "$d/empty" "empty"
hints_case "$d/no-ns" "without records"
hints_case "$d/other-zone" "for another zone"
hints_case "$d/no-addr" "without addresses"
hints_case "$d/missing" "that does not exist"

# what the errors say
err=$(timeout -k 5 60 "$ptrwiz" check --quick --root-hints "$d/dir" 198.18.1.10 2>&1)
[[ $err == "ptrwiz: root hints $d/dir: a directory, not a file" ]] && ok "a directory is named as one" || bad "directory: $err"
err=$(timeout -k 5 60 "$ptrwiz" check --quick --root-hints "$d/no-ns" 198.18.1.10 2>&1)
[[ $err == *"no NS record for the root (.)"* ]] && ok "no NS: says so" || bad "no NS: $err"
err=$(timeout -k 5 60 "$ptrwiz" check --quick --root-hints "$d/garbage" 198.18.1.10 2>&1)
[[ $err == *"garbage line "[12]": "* ]] && ok "garbage: names the line" || bad "garbage: $err"

anchor_case() { # FILE WHY
        local f=$1 why=$2 lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$1")
        expect_bad "check --quick, trust anchor $why" "$f" "$ptrwiz" check --quick "${lab[@]}" 198.18.1.10
        expect_bad "check, trust anchor $why" "$f" "$ptrwiz" check "${lab[@]}" 198.18.1.10
        expect_bad "wizard, trust anchor $why" "$f" "$ptrwiz" "${lab[@]}" 198.18.1.10
}
anchor_case "$d/dir" "a directory"
anchor_case "$d/fifo" "a FIFO"
anchor_case /dev/zero "/dev/zero"
anchor_case "$d/garbage" "of garbage"
anchor_case "$d/ta-txt" "of a TXT record"
anchor_case "$d/ta-other" "for another zone"
anchor_case "$LAB_ROOT_HINTS" "that is root hints"
err=$(timeout -k 5 60 "$ptrwiz" check --quick --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$d/ta-txt" 198.18.1.10 2>&1)
[[ $err == *"ta-txt line 1: type TXT; want DS or DNSKEY" ]] && ok "a TXT anchor: says so" || bad "TXT anchor: $err"

# The good files still work, and DNSSEC still validates with the anchor.
out=$(timeout -k 5 60 "$ptrwiz" check --json --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR" 198.18.1.10 2>&1)
jq -e '.verdict == "pass" and .dnssec == "secure"' <<<"$out" >/dev/null 2>&1 &&
        ok "the lab's own files: pass, DNSSEC secure" || bad "lab files: $out"
out=$(timeout -k 5 60 "$ptrwiz" check --quick --json --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR" 198.18.5.1 2>&1)
jq -e '.findings | map(.code) | index("DNSSEC_BOGUS") != null' <<<"$out" >/dev/null 2>&1 &&
        ok "the anchor is used: a broken signature is still DNSSEC_BOGUS" || bad "anchor not used? $out"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
