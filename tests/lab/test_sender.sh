#!/usr/bin/env bash
# ptrwiz sender in the lab (LAB_DEFAULT_ROUTE=1, so the kernel picks the
# source addresses from real routes): toward a far receiver this machine
# would send over IPv4 from 198.18.25.10 (PTR passes) and over IPv6 from
# 3fff:0:0:1::11 (no PTR); the lab's sender-side Postfix config (read with
# postconf -c) greets as "mailhost" and allows IPv6. Then: inet_protocols =
# ipv4 silences the IPv6 finding, smtp_bind_address wins over the route, a
# private bind address is a NAT, and HELO names that do not resolve or are
# not the PTR name. Exim (its binary unpacked by scripts/deps.sh, run with a
# test config): helo_data's default, a set one, one expanded by exim -be, one
# that depends on the connection, one that fails, a broken config.
set -u
src=${PTRWIZ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${LAB_DIR:-}" ]; then
        LAB_DEFAULT_ROUTE=1 exec bash "$src/tests/lab/in-lab.sh" bash "$0" "$@"
fi
ptrwiz=${PTRWIZ:-$src/build/ptrwiz}
lab=(--root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_TRUST_ANCHOR")
far=(--toward 198.51.100.25 --toward 2001:db8:25::25) # mx.far.example.com
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
sender() {
        "$ptrwiz" sender "${lab[@]}" "${far[@]}" --json "$@" >"$tmp/out.json" 2>"$tmp/err"
        rc=$?
}
field() { jq -r "$1" "$tmp/out.json"; }
codes() { field '[.findings[].code] | sort | join(",")'; }

if ! command -v postconf >/dev/null; then
        echo "FAIL postconf is not installed (scripts/deps.sh installs postfix)"
        exit 1
fi

# ------------------------------------------------------------ the lab's sender config
sender --postfix-config "$LAB_SENDER_POSTFIX"
expect "lab sender: exit 1" "$rc" 1
expect "IPv4 source from the route" "$(field '.sources[0] | "\(.ip) \(.how) \(.used) \(.verdict)"')" \
        "198.18.25.10 route true pass"
expect "IPv6 source from the route" "$(field '.sources[1] | "\(.ip) \(.how) \(.used) \(.verdict)"')" \
        "3fff:0:0:1::11 route true fail"
expect "Postfix read with postconf -c" \
        "$(field '.postfix | "\(.myhostname) \(.inet_protocols) \(.smtp_address_preference)"')" \
        "mailhost all ipv6"
expect "the HELO name is Postfix's" "$(field '"\(.helo) \(.helo_from)"')" \
        "mailhost smtp_helo_name (Postfix)"
expect "findings: IPv6 without PTR, HELO not FQDN" "$(codes)" \
        "SENDER_HELO_NOT_FQDN,SENDER_IPV6_NO_PTR"
grep -q "mail25.example.com" <<<"$(field '.findings[] | select(.code == "SENDER_HELO_NOT_FQDN") | .fix')" &&
        ok "the HELO fix names the PTR name" || bad "HELO fix: $(field .findings)"

out=$("$ptrwiz" sender "${lab[@]}" "${far[@]}" --postfix-config "$LAB_SENDER_POSTFIX")
grep -q '^;; IPv6 source toward 2001:db8:25::25: 3fff:0:0:1::11 (route)$' <<<"$out" &&
        ok "text: the IPv6 source" || bad "text: $out"
grep -q '^error *SENDER_IPV6_NO_PTR' <<<"$out" && ok "text: the finding" || bad "text: $out"

# ------------------------------------------------------------ other configs
mkdir -p "$tmp/v4only" "$tmp/bind" "$tmp/nat"
printf 'compatibility_level = 3.6\nmyhostname = mail25.example.com\ninet_protocols = ipv4\n' \
        >"$tmp/v4only/main.cf"
sender --postfix-config "$tmp/v4only"
expect "inet_protocols = ipv4: IPv6 not used, no findings" \
        "$rc $(field '.sources[1].used') $(codes)" "0 false "
printf 'compatibility_level = 3.6\nmyhostname = mail25.example.com\ninet_protocols = ipv4\nsmtp_bind_address = 198.18.25.11\n' \
        >"$tmp/bind/main.cf"
sender --postfix-config "$tmp/bind"
expect "smtp_bind_address wins over the route" "$(field '.sources[0] | "\(.ip) \(.how)"')" \
        "198.18.25.11 smtp_bind_address"
expect "a bound source without PTR fails" "$rc $(codes)" "1 SENDER_SOURCE_FAILS"
printf 'compatibility_level = 3.6\nmyhostname = mail25.example.com\ninet_protocols = ipv4\nsmtp_bind_address = 10.25.0.10\n' \
        >"$tmp/nat/main.cf"
sender --postfix-config "$tmp/nat"
expect "a private source: behind a NAT" "$(field '.sources[0].nat') $(codes)" "true SENDER_BEHIND_NAT"

# ------------------------------------------------------------ HELO names
sender --postfix-config "$tmp/v4only" --helo nohost.example.com
expect "HELO without address" "$(codes)" SENDER_HELO_NO_ADDRESS
sender --postfix-config "$tmp/v4only" --helo mail.example.com
expect "HELO not the PTR name" "$rc $(codes)" "0 SENDER_HELO_PTR_MISMATCH"
sender --postfix-config "$tmp/v4only" --helo 'evil\033[31m.example.com'
grep -q $'\033' "$tmp/out.json" && bad "the HELO is not escaped" || ok "the HELO name is escaped"

# ------------------------------------------------------------ Exim
# Exim's own binary (scripts/deps.sh unpacks it: it cannot be installed beside
# Postfix), run by ptrwiz as exim4 -bP / -be through a wrapper that adds -C
# and the test's config. Exim needs its user (Debian-exim) and real root
# (setgroups), so passwd and group get it in the lab's mount namespace, and
# /etc/postfix is hidden there so that Exim is the only MTA.
exim=${PTRWIZ_EXIM_DIR:-/var/cache/ptrwiz-lab/exim4}/usr/sbin/exim4
exim_case() { # CONFIG-LINES...: runs sender with Exim's config being these lines
        {
                echo "primary_hostname = $1"
                printf 'begin transports\nremote_smtp:\n  driver = smtp\n'
                [ -n "${2:-}" ] && echo "  helo_data = $2"
        } >"$tmp/exim.conf"
        PATH=$tmp/bin:$PATH sender
}
if [ ! -x "$exim" ]; then
        bad "no Exim at $exim (scripts/deps.sh test unpacks it)"
elif [ "$(awk '{ print $1, $2, $3 }' /proc/self/uid_map)" != "0 0 4294967295" ]; then
        echo "skip Exim: it needs real root (its setgroups() fails in a user namespace)"
else
        cp /etc/passwd "$tmp/passwd" && cp /etc/group "$tmp/group"
        grep -q '^Debian-exim:' /etc/passwd ||
                echo 'Debian-exim:x:64999:64999::/nonexistent:/usr/sbin/nologin' >>"$tmp/passwd"
        grep -q '^Debian-exim:' /etc/group || echo 'Debian-exim:x:64999:' >>"$tmp/group"
        mount --bind "$tmp/passwd" /etc/passwd && mount --bind "$tmp/group" /etc/group
        mkdir -p "$tmp/nopostfix" "$tmp/bin"
        [ -d /etc/postfix ] && mount --bind "$tmp/nopostfix" /etc/postfix
        printf '#!/bin/sh\nexec %q -C %q "$@"\n' "$exim" "$tmp/exim.conf" >"$tmp/bin/exim4"
        chmod 755 "$tmp/bin/exim4"

        exim_case mailhost
        expect "Exim: helo_data's default is primary_hostname" \
                "$(field '"\(.exim.primary_hostname) \(.exim.helo_data) \(.helo) \(.helo_from)"')" \
                "mailhost mailhost mailhost helo_data (Exim)"
        expect "Exim: a short primary_hostname is not a full name" "$(codes)" \
                "SENDER_HELO_NOT_FQDN,SENDER_IPV6_NO_PTR"
        exim_case mailhost mail25.example.com
        expect "Exim: helo_data set" "$(field '"\(.helo) \(.helo_from)"') $(codes)" \
                "mail25.example.com helo_data (Exim) SENDER_IPV6_NO_PTR"
        exim_case mailhost '${lc:MAIL25.EXAMPLE.COM}'
        expect "Exim: helo_data expanded by exim -be" "$(field .helo) $(codes)" \
                "mail25.example.com SENDER_IPV6_NO_PTR"
        exim_case mailhost '${if eq{$sending_ip_address}{198.18.25.10}{mail25.example.com}{other.example.com}}'
        grep -q "depends on the connection" <<<"$(field .notes)" &&
                ok "Exim: a helo_data that depends on the connection is a note" ||
                bad "Exim notes: $(field .notes)"
        exim_case mail25.example.com '${lookup{x}lsearch{/nonexistent}}'
        expect "Exim: a helo_data that fails falls back to primary_hostname" \
                "$(field '"\(.helo) \(.helo_from)"')" "mail25.example.com primary_hostname (Exim)"
        grep -q "cannot be expanded here" <<<"$(field .notes)" && ok "Exim: ...and says so" ||
                bad "Exim notes: $(field .notes)"
        echo 'not an exim config' >"$tmp/exim.conf"
        PATH=$tmp/bin:$PATH sender
        grep -q "exim4 -bP failed" <<<"$(field .notes)" && ok "Exim: a broken config is a note" ||
                bad "Exim notes: $(field .notes)"
        exim_case mail25.example.com
        out=$(PATH=$tmp/bin:$PATH "$ptrwiz" sender "${lab[@]}" "${far[@]}")
        grep -q '^;; Exim: primary_hostname = mail25.example.com, helo_data = mail25.example.com$' <<<"$out" &&
                grep -q 'Exim: disable_ipv6 = true' <<<"$out" && ok "Exim: text" ||
                bad "Exim text: $out"
fi

# ------------------------------------------------------------ bad usage
"$ptrwiz" sender --toward nonsense 2>"$tmp/e" >/dev/null
expect "bad --toward: exit 2, one line" "$? $(wc -l <"$tmp/e")" "2 1"
"$ptrwiz" sender "${lab[@]}" --postfix-config "$tmp/missing" --toward 198.51.100.25 --json \
        >"$tmp/out.json" 2>/dev/null
grep -q "postconf -c" <<<"$(field .notes)" && ok "an unreadable config is a note" ||
        bad "notes: $(field .notes)"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
