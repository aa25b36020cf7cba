#!/usr/bin/env bash
# Runs inside the lab (tests/lab/in-lab.sh): the wizard when on a terminal,
# otherwise `ptrwiz check` on a few scenarios that show the main findings.
set -u
ptrwiz=${PTRWIZ:?}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
cat >&2 <<EOT
The lab is up: a private root and reverse zones for 198.18.0.0/15 and 3fff::/20.
Try: 198.18.1.10 (passes), 198.18.1.11 (no PTR), 198.18.1.13 (A mismatch),
198.18.1.15 (generic name), 198.18.2.70 (RFC 2317), 198.18.10.1 (delegated
elsewhere; use --expect-ns ns1.dnsprovider.example.org), 3fff:0:0:1::10.
For a class: --lab NAME opens a named scenario with what is broken in it
(--lab list names them); "tour" walks them all in turn.
EOT
case "${1:-}" in
check | trace)
        cmd=$1
        shift
        exec "$ptrwiz" "$cmd" "${lab[@]}" "$@"
        ;;
bounce) exec "$ptrwiz" "$@" ;;
tour)
        # A class walks every named scenario in turn: q goes on to the next.
        mapfile -t names < <("$ptrwiz" --lab list | tail -n +2 | cut -f1)
        i=0
        for name in "${names[@]}"; do
                i=$((i + 1))
                printf 'Scenario %d of %d: %s. Press Enter to open it (q in the wizard goes on; Ctrl-C stops).\n' \
                        "$i" "${#names[@]}" "$name" >&2
                read -r _ || break
                "$ptrwiz" "${lab[@]}" --lab "$name"
        done
        exit 0
        ;;
esac
if [ -t 0 ] && [ -t 1 ]; then
        exec "$ptrwiz" "${lab[@]}" "$@"
fi
"$ptrwiz" check "${lab[@]}" 198.18.1.10 198.18.1.11 198.18.1.13 198.18.2.70
echo "(exit status $?: 1 means at least one target failed, as two of these do)" >&2
