#!/bin/sh
# Build CPython for the Linux kit, inside a Debian 11 (bullseye, glibc 2.31) root made by
# packaging/build_python.py.  Run there as:   sh build_python.sh ARCH SOURCE.tar.xz OUT
#
# ARCH x86_64 is built natively; aarch64 is cross-built with Debian's cross compiler, using
# the x86_64 build (already in /opt/build-python) as the build Python.  The result is
# installed under OUT/python (prefix /opt/python; the interpreter finds its library from its
# own location, so the folder can be moved) and packaging/build_python.py then bundles the
# shared libraries it needs and sets their search paths.
set -eu
ARCH=$1 SOURCE=$2 SQLITE_SOURCE=$3 OUT=$4
JOBS=$(nproc)
TREE=/tmp/cpython-$ARCH
rm -rf "$OUT"
mkdir -p "$OUT"
# REUSE=1: install again from the tree an earlier run compiled (after changing the steps after
# the build); the tree is kept per architecture for that.
if [ "${REUSE:-0}" = 1 ] && [ -f "$TREE/Makefile" ]; then
    cd "$TREE"
    make -j"$JOBS" > /tmp/make.log 2>&1 || { tail -n 40 /tmp/make.log; exit 1; }
else
rm -rf "$TREE"
mkdir -p "$TREE"
tar -xJf "$SOURCE" -C "$TREE" --strip-components=1
cd "$TREE"

# SQLite from its amalgamation, compiled into the _sqlite3 module: Debian 11's libsqlite3
# needs glibc 2.29 (see glibc_compat.h), and a newer SQLite is welcome anyway.
case $ARCH in x86_64) CC=gcc AR=ar ;; *) CC=$ARCH-linux-gnu-gcc AR=$ARCH-linux-gnu-ar ;; esac
COMPAT="-include /tmp/glibc_compat.h"
SQLITE=/opt/sqlite-$ARCH
rm -rf "$SQLITE"
mkdir -p "$SQLITE"
tar -xzf "$SQLITE_SOURCE" -C "$SQLITE" --strip-components=1
# shellcheck disable=SC2086
$CC $COMPAT -O2 -fPIC -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
    -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS \
    -DSQLITE_ENABLE_COLUMN_METADATA -c "$SQLITE/sqlite3.c" -o "$SQLITE/sqlite3.o"
$AR rcs "$SQLITE/libsqlite3.a" "$SQLITE/sqlite3.o"
export LIBSQLITE3_CFLAGS="-I$SQLITE" LIBSQLITE3_LIBS="-L$SQLITE -lsqlite3 -lm"
export CFLAGS="$COMPAT"

# Functions glibc 2.29-2.31 added that CPython would use if present: the kit's x86_64 build
# must run on glibc 2.28 (统信 UOS 20, 银河麒麟 V10), so they are declared absent.
NEWER_GLIBC="ac_cv_func_sem_clockwait=no ac_cv_func_pthread_cond_clockwait=no
ac_cv_func_posix_spawn_file_actions_addchdir_np=no ac_cv_func_gettid=no"
# Named semaphores work on every Linux the kit serves; configure's own test would fail in a
# root without /dev/shm (or cannot run when cross-compiling) and leave multiprocessing's
# locks out, so worker processes (the review) could not start.
NEWER_GLIBC="$NEWER_GLIBC ac_cv_posix_semaphores_enabled=yes ac_cv_broken_sem_getvalue=no"
COMMON="--prefix=/opt/python --without-ensurepip --disable-test-modules --with-lto=no"
case $ARCH in
    x86_64)
        # shellcheck disable=SC2086
        env $NEWER_GLIBC ./configure $COMMON --build=x86_64-linux-gnu > /tmp/configure.log
        ;;
    aarch64)
        # shellcheck disable=SC2086
        env $NEWER_GLIBC ac_cv_file__dev_ptmx=yes ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no \
            PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
            ./configure $COMMON --build=x86_64-linux-gnu --host=aarch64-linux-gnu \
            --with-build-python=/opt/build-python/bin/python3.13 > /tmp/configure.log
        ;;
    *) echo "unknown architecture $ARCH" >&2; exit 2 ;;
esac
make -j"$JOBS" > /tmp/make.log 2>&1 || { tail -n 40 /tmp/make.log; exit 1; }
fi
make install DESTDIR="$OUT/root" > /tmp/install.log 2>&1 || { tail -n 40 /tmp/install.log; exit 1; }
mv "$OUT/root/opt/python" "$OUT/python"
rm -rf "$OUT/root"
# The modules the program needs must have been built (a missing -dev package leaves them out
# silently): say which, and stop.
missing=$(sed -n 's/^The necessary bits to build these optional modules were not found://p;
                   /^Following modules built successfully/q' /tmp/make.log | tr -d '\n')
grep -A3 "were not found\|Failed to build" /tmp/make.log || true
for module in _sqlite3 _ctypes _ssl _hashlib zlib _bz2 _lzma _uuid _decimal pyexpat _json; do
    ls "$OUT"/python/lib/python3.13/lib-dynload/"$module".*.so >/dev/null 2>&1 || {
        echo "CPython for $ARCH was built without $module ($missing)" >&2
        exit 1
    }
done
echo "built CPython for $ARCH in $OUT/python"
