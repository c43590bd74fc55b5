#!/bin/sh
# The Linux kit on a glibc-2.31 system that has no Python (Debian 11 "bullseye", what 银河麒麟
# V10 SP1 is built on), as a clerk's PC would run it: install.sh inside a root made with
# debootstrap, for x86_64 natively and for arm64 under qemu-user-static.
#
#     sudo sh packaging/proof_bullseye.sh dist/selfeval-<version>-linux-offline [ARCH [ROOT]]
#
# ARCH is x86_64 (default) or aarch64.  With the kit's own Python (make python-linux before
# make dist) install.sh must install with it, list the system libraries Qt's window lacks
# (which are then installed, as an administrator would), and the installed program must pass
# the smoke test: version, first start of the window (offscreen), score, export, the window's
# own three exports, review with worker processes.  A kit without a Python for ARCH must
# refuse in one Chinese sentence and install nothing.
#
# Needs root, debootstrap, a Debian mirror, and for aarch64 qemu-user-static with binfmt_misc;
# not part of make test.
set -eu
KIT=$(cd "$1" && pwd)
ARCH=${2:-x86_64}
case $ARCH in
    x86_64) DEBARCH=amd64 TIMEOUT=300 ;;
    aarch64) DEBARCH=arm64 TIMEOUT=1800 ;;
    *) echo "ARCH is x86_64 or aarch64" >&2; exit 2 ;;
esac
ROOT=${3:-build/bullseye-$DEBARCH}
HERE=$(cd "$(dirname "$0")" && pwd)
started=$(date +%s)
if [ ! -x "$ROOT/bin/sh" ]; then
    debootstrap --variant=minbase --arch="$DEBARCH" bullseye "$ROOT"
fi
echo "root ready after $(( $(date +%s) - started )) s: $(chroot "$ROOT" uname -m)," \
     "$(chroot "$ROOT" ldd --version | head -n 1)"
if chroot "$ROOT" sh -c 'command -v python3 || command -v python3.9' >/dev/null; then
    echo "the root has a Python of its own: use a fresh one" >&2
    exit 1
fi
rm -rf "$ROOT/kit" "$ROOT/home/clerk" "$ROOT/smoke"
cp -r "$KIT" "$ROOT/kit"
mkdir -p "$ROOT/home/clerk" "$ROOT/smoke"
cp "$HERE/smoke_frozen.py" "$ROOT/smoke/"
# what a running system has mounted: /proc, and /dev/shm for the review's worker processes
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mkdir -p "$ROOT/dev/shm"
mountpoint -q "$ROOT/dev/shm" || mount -t tmpfs shm "$ROOT/dev/shm"
trap 'umount "$ROOT/dev/shm" "$ROOT/proc" 2>/dev/null || true' EXIT

as_clerk() {
    chroot "$ROOT" env -i HOME=/home/clerk PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
        SELFEVAL_SMOKE_TIMEOUT=$TIMEOUT "$@"
}

if ! ls "$KIT"/python/cpython-*-linux-"$ARCH".tar.gz >/dev/null 2>&1; then
    said=$(as_clerk sh /kit/install.sh 2>&1) && { echo "install.sh succeeded without a Python"; exit 1; }
    echo "the kit brings no Python for $ARCH: $said"
    case $said in *"没有 Python 3"*"本安装包不带 Python"*) ;; *) echo "unexpected"; exit 1 ;; esac
    [ ! -e "$ROOT/home/clerk/.local" ] || { echo "something was installed"; exit 1; }
    exit 0
fi

t=$(date +%s)
as_clerk sh /kit/install.sh > "$ROOT/smoke/install.log" 2>&1 || {
    cat "$ROOT/smoke/install.log"; echo "install.sh failed"; exit 1; }
cat "$ROOT/smoke/install.log"
grep -q "使用的 Python：/home/clerk/.local/opt/selfeval/python-" "$ROOT/smoke/install.log" \
    || { echo "install.sh did not use the kit's Python"; exit 1; }
echo "installed with the kit's own Python in $(( $(date +%s) - t )) s"

# What the window lacks, as install.sh named it: installed as the administrator would.
packages=$(sed -n 's/.*sudo apt install \([^）]*\)）.*/\1/p' "$ROOT/smoke/install.log")
echo "packages install.sh asked for: ${packages:-none}"
# the offscreen platform (what the smoke test uses) also needs fontconfig and EGL/GL
chroot "$ROOT" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $packages libfontconfig1 libegl1 libgl1 libglib2.0-0 libdbus-1-3" \
    > "$ROOT/smoke/apt.log" 2>&1 || { tail -n 20 "$ROOT/smoke/apt.log"; exit 1; }
as_clerk /home/clerk/.local/opt/selfeval/venv/bin/python /kit/tools/qt_libs.py \
    || { echo "the window still lacks system libraries"; exit 1; }

t=$(date +%s)
as_clerk /home/clerk/.local/opt/selfeval/venv/bin/python /smoke/smoke_frozen.py \
    --installed /home/clerk/.local/opt/selfeval
echo "smoke test passed in $(( $(date +%s) - t )) s; done in $(( $(date +%s) - started )) s"
