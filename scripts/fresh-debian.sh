#!/usr/bin/env bash
# Tries the README's two commands as a new user would: in a minimal Debian 12
# tree (debootstrap --variant=minbase) with only git installed and this
# repository cloned into it, as root, and (with --user) as a user with sudo.
# Too slow for every CI run; run it before calling a set-up change done.
#
# Usage: scripts/fresh-debian.sh [--user] [quickstart|test|both]   (default: both)
# With --user the commands run as a user with sudo; the kernel refuses a
# user namespace inside a chroot, so there the lab stops with in-lab.sh's
# one-line error after sudo installed and the build ran: --user checks the
# packages and the build, root checks the lab too.
# The tree is cached as a tarball in $PTRWIZ_FRESH_CACHE (default
# /var/tmp/ptrwiz-fresh); the mirror comes from this machine's apt sources.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
as_user=0
[ "${1:-}" = --user ] && { as_user=1; shift; }
what=${1:-both}
case $what in quickstart | test | both) ;; *) echo "usage: $0 [--user] [quickstart|test|both]" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "$0: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

cache=${PTRWIZ_FRESH_CACHE:-/var/tmp/ptrwiz-fresh}
tarball=$cache/bookworm-minbase-git.tar
mkdir -p "$cache"

mirror() {
        local f
        for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
                [ -f "$f" ] || continue
                sed -n 's/^URIs: *\([^ ]*\).*/\1/p; s/^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*\) .*/\2/p' "$f" |
                        grep -v security | head -n1 && return 0
        done
        echo http://deb.debian.org/debian
}

if [ ! -f "$tarball" ]; then
        command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
        tmp=$(mktemp -d "$cache/build.XXXX")
        echo "fresh-debian: debootstrap bookworm into $tmp (a few minutes)" >&2
        debootstrap --variant=minbase bookworm "$tmp" "$(mirror)" >"$cache/debootstrap.log" 2>&1
        for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
                [ -f "$f" ] && install -D -m 644 "$f" "$tmp$f"
        done
        cp /etc/resolv.conf "$tmp/etc/resolv.conf"
        chroot "$tmp" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null'
        tar -C "$tmp" -cf "$tarball" .
        rm -rf "$tmp"
fi

dir=$(mktemp -d /var/tmp/ptrwiz-fresh-run.XXXX)
cleanup() {
        for m in dev/pts dev sys proc ""; do
                mountpoint -q "$dir/$m" 2>/dev/null && umount -l "$dir/$m"
        done
        rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
tar -C "$dir" -xf "$tarball"
chmod 755 "$dir" # the tree's / (mktemp's 0700 comes back from the tarball): users must enter it
cp /etc/resolv.conf "$dir/etc/resolv.conf"
# The tree's / must be a mount point for unshare to work inside the chroot.
mount --bind "$dir" "$dir"
mount -t proc proc "$dir/proc"
mount --rbind /sys "$dir/sys"
mount --rbind /dev "$dir/dev"

# Clone what is committed, as a new user would get it.
git clone -q "$root" "$dir/home/ptrwiz"
run_in() { # user command...
        local u=$1
        shift
        if [ "$u" = root ]; then
                chroot "$dir" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin CI="${CI:-}" bash -c "cd /home/ptrwiz && $*"
        else
                chroot "$dir" env -i HOME=/home/ptrwiz PATH=/usr/sbin:/usr/bin:/sbin:/bin CI="${CI:-}" \
                        su -s /bin/bash tester -c "cd /home/ptrwiz && $*"
        fi
}
user=root
if [ $as_user = 1 ]; then
        chroot "$dir" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >/dev/null &&
                useradd -m -s /bin/bash tester && echo "tester ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/tester'
        chroot "$dir" chown -R tester: /home/ptrwiz
        user=tester
fi

rc=0
if [ "$what" != test ]; then
        echo "== fresh-debian ($user): bash scripts/quickstart.sh" >&2
        start=$(date +%s)
        set +e
        run_in $user "bash scripts/quickstart.sh </dev/null"
        qrc=$?
        set -e
        echo "== fresh-debian ($user): quickstart exit $qrc in $(($(date +%s) - start)) s" >&2
        [ $qrc -eq 0 ] || rc=1
fi
if [ "$what" != quickstart ]; then
        echo "== fresh-debian ($user): CI=true bash .ci/run" >&2
        start=$(date +%s)
        set +e
        CI=true run_in $user "bash .ci/run </dev/null"
        trc=$?
        set -e
        echo "== fresh-debian ($user): .ci/run exit $trc in $(($(date +%s) - start)) s" >&2
        [ $trc -eq 0 ] || rc=1
fi
exit $rc
