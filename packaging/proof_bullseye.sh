#!/bin/sh
# The Linux kit on a glibc-2.31 system that has no Python (Debian 11 "bullseye", what 银河麒麟
# V10 SP1 is built on), as a clerk's PC would run it: install.sh inside a root made with
# debootstrap.  It must refuse in one Chinese sentence naming the system and what it lacks,
# and install nothing.  Then the same with the system's own python3 (3.9).
#
#     sudo sh packaging/proof_bullseye.sh dist/selfeval-<version>-linux-offline [ROOT]
#
# Needs root, debootstrap and a Debian mirror (debootstrap's default); not part of make test.
set -eu
KIT=$(cd "$1" && pwd)
ROOT=${2:-build/bullseye}
started=$(date +%s)
if [ ! -x "$ROOT/bin/sh" ]; then
    debootstrap --variant=minbase bullseye "$ROOT"
fi
echo "root ready after $(( $(date +%s) - started )) s: $(chroot "$ROOT" ldd --version | head -n 1)"
rm -rf "$ROOT/kit" "$ROOT/home/clerk"
cp -r "$KIT" "$ROOT/kit"
mkdir -p "$ROOT/home/clerk"

run() {
    chroot "$ROOT" env -i HOME=/home/clerk PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
        sh /kit/install.sh && return 1 || true
}
said=$(run 2>&1) || { echo "install.sh succeeded where it cannot work"; exit 1; }
echo "without Python: $said"
case $said in *"没有 Python 3"*"本安装包不带 Python"*) ;; *) echo "unexpected"; exit 1 ;; esac
[ ! -e "$ROOT/home/clerk/.local" ] || { echo "something was installed"; exit 1; }

chroot "$ROOT" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends python3' \
    >/dev/null 2>&1
said=$(run 2>&1) || { echo "install.sh succeeded where it cannot work"; exit 1; }
echo "with python3 3.9: $said"
case $said in *"只有 Python 3.9"*) ;; *) echo "unexpected"; exit 1 ;; esac
[ ! -e "$ROOT/home/clerk/.local" ] || { echo "something was installed"; exit 1; }
echo "done in $(( $(date +%s) - started )) s"
