#!/usr/bin/env bash
# Far servers: every authoritative server of the lab 300 ms away
# (LAB_DELAY_MS=300, the delay proxy), as a mail server in overseas hosting
# sees its reverse zone. With default options every scenario of
# scenarios.tsv (check --quick) and scenarios-trace.tsv (check with the
# trace) gives its verdict and codes, the passing ones also through
# `check --json` with the trace and `ptrwiz trace`; one truly dead server
# is named with what was measured; and when ptrwiz's own --deadline cuts a
# slow but working path, no server is blamed and DNSSEC is not called
# "insecure". Rows with timing options of their own (--timeout,
# --deadline) are left out: their point is the timing.
# The checks run concurrently: at 300 ms each waits, the CPU barely works.
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        LAB_DELAY_MS=${LAB_DELAY_MS:-300} exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
export XDG_CACHE_HOME=$LAB_DIR/far-cache
out=$LAB_DIR/far
mkdir -p "$out"
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

. "$src/tests/lab/codes.sh" # codes_of, info_of, csv, codes_match

# Every job writes KIND IP VERDICT CODES WHAT and its JSON to $out/N.*.
jobs_n=0
job() { # KIND IP OPTIONS VERDICT CODES WHAT COMMAND...
        local n=$((jobs_n += 1))
        # "-" for an empty field: read with a tab IFS joins empty fields.
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "$4" "$5" "$6" >"$out/$n.want"
        shift 6
        ("$@" >"$out/$n.json" 2>"$out/$n.err"
                echo $? >"$out/$n.rc") &
}

t0=$(now_ms)
for tsv in scenarios scenarios-trace; do
        while IFS=$'\t' read -r ip opts verdict codes desc; do
                case "$ip" in '' | \#* | ip) continue ;; esac
                [ "$opts" = - ] && opts=
                case " $opts " in *" --timeout "* | *" --deadline "*) continue ;; esac
                quick=
                [ $tsv = scenarios ] && quick=--quick
                # shellcheck disable=SC2086
                job "check${quick:+ $quick}" "$ip" "$opts" "$verdict" "$codes" "$desc" \
                        "$ptrwiz" check --json $quick "${lab[@]}" $opts "$ip"
                [ "$verdict" = fail ] && continue
                if [ $tsv = scenarios ]; then # the same with the trace beside it
                        # shellcheck disable=SC2086
                        job check "$ip" "$opts" "$verdict" "$codes" "$desc" \
                                "$ptrwiz" check --json "${lab[@]}" $opts "$ip"
                fi
                # shellcheck disable=SC2086
                job trace "$ip" "$opts" "$verdict" "$codes" "$desc" \
                        "$ptrwiz" trace --json --no-cache "${lab[@]}" $opts "$ip"
        done <"$src/tests/lab/$tsv.tsv"
done

# One truly dead server beside a working one (7.18.198: ns1.rdns answers,
# ns1.blackhole.example.net never does).
job dead 198.18.7.1 - fail DELEGATION_UNREACHABLE "ns1.blackhole never answers" \
        "$ptrwiz" check --json "${lab[@]}" 198.18.7.1
# ptrwiz's own deadline cuts a slow path that works: a cold lookup of
# 198.18.1.10 is 20 round trips and more, over 6 s at 300 ms; 4 s is
# never enough, whatever the machine's speed.
job cut 198.18.1.10 "--deadline 4000" - - "the deadline cuts a working path" \
        "$ptrwiz" check --json --deadline 4000 "${lab[@]}" 198.18.1.10
job cutq 198.18.1.10 "--quick --deadline 4000" - - "the deadline cuts the lookup, no trace" \
        "$ptrwiz" check --json --quick --deadline 4000 "${lab[@]}" 198.18.1.10
wait
echo "info: $jobs_n runs at ${LAB_DELAY_MS:-0} ms in $(($(now_ms) - t0)) ms (concurrently)"

for ((n = 1; n <= jobs_n; n++)); do
        IFS=$'\t' read -r kind ip opts verdict codes desc <"$out/$n.want"
        [ "$opts" = - ] && opts=
        json=$(cat "$out/$n.json")
        rc=$(cat "$out/$n.rc")
        what="$kind $ip${opts:+ ($opts)}: $desc"
        got_v=$(jq -r .verdict <<<"$json" 2>/dev/null)
        got=$(codes_of <<<"$json" 2>/dev/null)
        info=$(info_of <<<"$json" 2>/dev/null)
        ms=$(jq -r '.elapsed_ms // .trace.elapsed_ms // "?"' <<<"$json" 2>/dev/null)
        case $kind in
        check*)
                want_rc=0
                [ "$verdict" = fail ] && want_rc=1
                if [ "$got_v" = "$verdict" ] && [ "$rc" = $want_rc ] &&
                        codes_match "$codes" "$got" "$info"; then
                        ok "$what: $got_v [$got] in $ms ms"
                else
                        bad "$what: want $verdict [$codes] rc $want_rc, got $got_v [$got] rc $rc"
                        head -c 1500 "$out/$n.json" "$out/$n.err"
                        echo
                fi
                ;;
        trace)
                # The trace reads the one diagnosis: the row's verdict and codes,
                # and a passing address's trace ends in its answer.
                fin=$(jq -r .final.result <<<"$json" 2>/dev/null)
                complete=$(jq -r .complete <<<"$json" 2>/dev/null)
                want_rc=0
                [ "$verdict" = fail ] && want_rc=1
                if [ "$got_v" = "$verdict" ] && [ "$rc" = $want_rc ] && codes_match "$codes" "$got" "$info" &&
                        [ "$fin" = answer ] && [ "$complete" = true ]; then
                        ok "$what: $got_v [$got] final $fin"
                else
                        bad "$what: want $verdict [$codes] final answer, complete; got $got_v [$got] final $fin complete $complete rc $rc"
                        head -c 1500 "$out/$n.json" "$out/$n.err"
                        echo
                fi
                ;;
        dead)
                msg=$(jq -r '[.findings[] | select(.code == "DELEGATION_UNREACHABLE") | .message] | join(" | ")' <<<"$json")
                if [ "$got" = DELEGATION_UNREACHABLE ] && [ "$got_v" = fail ] &&
                        [[ "$msg" =~ "ns1.blackhole.example.net. (127.53.8.1): no reply within "[0-9]+" ms ("[0-9]" tr"(y|ies)")" ]] &&
                        [[ "$msg" != *ns1.rdns* ]]; then
                        ok "$what: names the dead server and what was measured: $msg"
                else
                        bad "$what: want only DELEGATION_UNREACHABLE naming ns1.blackhole and its tries, got $got_v [$got]: $msg"
                        head -c 1500 "$out/$n.json"
                        echo
                fi
                ;;
        cut | cutq)
                dnssec=$(jq -r .dnssec <<<"$json")
                msg=$(jq -r '[.findings[] | .code + ": " + .message + " / " + .fix] | join(" | ")' <<<"$json")
                # With the trace: CHECK_DEADLINE (the trace's own deadline may add
                # TRACE_LIMIT); without it: RESOLUTION_TIMEOUT that blames nobody.
                if [ $kind = cut ]; then
                        good=0
                        [[ ",$got," == *",CHECK_DEADLINE,"* ]] && [[ "$got" =~ ^(CHECK_DEADLINE|CHECK_DEADLINE,TRACE_LIMIT)$ ]] && good=1
                else
                        good=0
                        [ "$got" = RESOLUTION_TIMEOUT ] && [[ "$msg" == *"did not finish within 4000 ms (--deadline)"* ]] &&
                                [[ "$msg" != *"must fix"* ]] && good=1
                fi
                if [ $good = 1 ] && [ "$dnssec" = unknown ] && [ "$rc" = 1 ] &&
                        [[ "$msg" != *"IP block holder must"* ]] && [[ "$msg" != *DELEGATION_* ]]; then
                        ok "$what: [$got], dnssec $dnssec, nobody blamed"
                else
                        bad "$what: got [$got] dnssec $dnssec rc $rc: $msg"
                fi
                ;;
        esac
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
