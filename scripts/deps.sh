#!/usr/bin/env bash
# Installs the Debian 12 packages ptrwiz needs to build, test and run its lab.
# Usage: scripts/deps.sh [build|test|bench|all]   (default: test)
set -euo pipefail

build_pkgs=(cmake make gcc pkg-config libunbound-dev libevent-dev nettle-dev libldns-dev
            libncurses-dev libidn2-dev libjansson-dev libcmocka-dev dns-root-data
            libpsl-dev publicsuffix libssl-dev)
# The lab: real authoritative servers (nsd) and a recursive resolver (unbound,
# which the lab starts by default and the demo's --resolver mode uses),
# dig/drill, tmux for the wizard.
# postfix is the lab's receiving MTA for the delivery test (smtp-test); the
# lab runs it from its own config directory, never as a system service.
lab_pkgs=(nsd unbound ldnsutils dnsutils iproute2 util-linux tmux jq ncurses-term postfix openssl)
# Sanitizer builds, fuzzing and valgrind; GNU time for the fault suite's
# memory bound (test_faults.sh); strace shows the lab test every address
# ptrwiz sends to; cmark-gfm (GitHub's renderer) shows the structure of the
# Markdown report; nftables makes a local firewall in the fault suite's
# namespace; python3 (its standard library only) reads the rendered report
# and its tables in the report tests (tests/tui/test_report*.sh, test_agree.sh).
test_pkgs=(clang libclang-rt-14-dev valgrind time strace cmark-gfm nftables python3)
# Exim cannot be installed beside the lab's Postfix (both are the
# mail-transport-agent), so the sender test runs Exim's binary unpacked from
# its package (below) with its own config; these are its libraries.
exim_libs=(libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libnsl2 libpcre2-8-0 libcrypt1)
test_pkgs+=("${exim_libs[@]}")
# Where the unpacked Exim lives (tests/lab/test_sender.sh looks here).
exim_dir=${PTRWIZ_EXIM_DIR:-/var/cache/ptrwiz-lab/exim4}
bench_pkgs=(adns-tools dnsrecon strace time hyperfine imagemagick libmagickcore-6.q16-6-extra fonts-dejavu-core perl)

want=("${build_pkgs[@]}" "${lab_pkgs[@]}")
case "${1:-test}" in
build) want=("${build_pkgs[@]}" "${lab_pkgs[@]}") ;;
test) want+=("${test_pkgs[@]}") ;;
bench | all) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# exim4-daemon-light's files, not installed: apt-get download and dpkg -x.
unpack_exim() {
        [ -x "$exim_dir/usr/sbin/exim4" ] && return 0
        local tmp
        tmp=$(mktemp -d)
        echo "unpacking exim4-daemon-light into $exim_dir (not installed)" >&2
        # apt warns that its _apt user cannot write here, and downloads as root.
        (cd "$tmp" && { "${sudo[@]}" apt-get download -qq exim4-daemon-light 2>/dev/null ||
                { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get download -qq exim4-daemon-light 2>/dev/null; }; }) &&
                "${sudo[@]}" mkdir -p "$exim_dir" &&
                "${sudo[@]}" dpkg -x "$tmp"/exim4-daemon-light_*.deb "$exim_dir"
        local rc=$?
        "${sudo[@]}" rm -rf "$tmp"
        return $rc
}
exim_wanted() { [ "${1:-test}" = test ] || [ "${1:-test}" = bench ] || [ "${1:-test}" = all ]; }

missing=()
for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
        if exim_wanted "${1:-test}"; then unpack_exim; fi
        exit 0
fi

echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Installing unbound or postfix must not start a system-wide service here:
# the lab runs its own copy in a private namespace.
policy=/usr/sbin/policy-rc.d
if [[ " ${missing[*]} " == *" unbound "* || " ${missing[*]} " == *" postfix "* ]] && [ ! -e $policy ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee $policy >/dev/null
        "${sudo[@]}" chmod 755 $policy
        trap '"${sudo[@]}" rm -f '$policy EXIT
fi
# No questions and no mail system set up: the lab writes its own config.
if [[ " ${missing[*]} " == *" postfix "* ]]; then
        echo "postfix postfix/main_mailer_type select No configuration" |
                "${sudo[@]}" debconf-set-selections
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if exim_wanted "${1:-test}"; then unpack_exim; fi
