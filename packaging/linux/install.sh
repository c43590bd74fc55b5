#!/bin/sh
# 部门整体支出绩效自评 @VERSION@: offline install for the current user (no network, no root).
set -eu

KIT=$(cd "$(dirname "$0")" && pwd)
PREFIX=${SELFEVAL_PREFIX:-$HOME/.local/opt/selfeval}
VENV=$PREFIX/venv
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
# Only the kit's wheels count: no pip configuration, no index.
PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_CONFIG_FILE PIP_NO_INDEX PIP_DISABLE_PIP_VERSION_CHECK

# printf, not echo: a path is printed as it is (dash's echo reads backslashes in it)
say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "安装没有完成：$*" >&2; exit 1; }
KEPT="原有的安装没有改动。"

[ -d "$KIT/wheels" ] || fail "找不到 wheels 文件夹，请先完整解压安装包。"
# The kit is complete and intact before anything installed is touched.
SUMS=$KIT/tools/SHA256SUMS
[ -f "$SUMS" ] || fail "安装包不完整：缺少 tools/SHA256SUMS，请重新完整解压安装包。$KEPT"
while read -r sum file; do
    [ -f "$KIT/$file" ] || fail "安装包不完整：缺少 $file，请重新完整解压安装包。$KEPT"
done < "$SUMS"
if command -v sha256sum >/dev/null 2>&1; then
    bad=$(cd "$KIT" && LC_ALL=C sha256sum -c tools/SHA256SUMS 2>/dev/null \
          | sed -n 's/: FAILED.*$//p' | head -n 1)
    [ -z "$bad" ] || fail "安装包已损坏：$bad 与原文件不同，请重新复制并解压安装包。$KEPT"
fi

# The kit's PySide6 wheels need glibc 2.28 on x86_64 and 2.31 on aarch64 (说明.txt says why):
# said before anything is installed, not as a pip error about missing wheels.
older() {  # is glibc version $1 older than $2?  (major.minor)
    a=${1%%.*} b=${2%%.*} c=${1#*.} d=${2#*.}
    c=${c%%.*} d=${d%%.*}
    [ "$a" -lt "$b" ] || { [ "$a" -eq "$b" ] && [ "$c" -lt "$d" ]; }
}
ARCH=$(uname -m)
case $ARCH in
    x86_64|amd64) NEED=2.28 ;;
    aarch64|arm64) NEED=2.31 ;;
    *) fail "本安装包只适用于 x86_64 和 aarch64（ARM64）的电脑，本机是 $ARCH（如龙芯 loongarch64、mips64、申威等），无法安装。" ;;
esac
GLIBC=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9][0-9.]*\).*/\1/p')
[ -n "$GLIBC" ] || GLIBC=$(ldd --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p')
if [ -z "$GLIBC" ]; then
    say "注意：无法确定本机的 glibc 版本（$ARCH 需要 glibc $NEED 或更新），仍继续安装。" >&2
elif older "$GLIBC" "$NEED"; then
    case $ARCH in
        aarch64|arm64) why="图形界面库 PySide6 只为 glibc 2.31 及以后的 ARM 系统提供，统信 UOS 20 ARM 版（glibc 2.28）无法安装" ;;
        *) why="图形界面库 PySide6 需要 glibc 2.28 或更新" ;;
    esac
    fail "本机（$ARCH）的 glibc 是 $GLIBC，本程序需要 glibc $NEED 或更新（$why）。请换用较新的系统版本，或在 x86_64 电脑上安装。"
fi

say "部门整体支出绩效自评 @VERSION@：安装到 $PREFIX"
# The new environment is built beside the installed one and replaces it only once the program
# in it starts: $VENV is a symbolic link to the current venv-<time>.  (A venv cannot be moved:
# its scripts name its own path.)
STAMP=$(date +%Y%m%d%H%M%S)-$$
NEW=$PREFIX/venv-$STAMP
NEWPY=
# (an empty $PREFIX left by a failed first install goes too)
drop() { rm -rf "$NEW"; [ -z "$NEWPY" ] || rm -rf "$NEWPY"; rmdir "$PREFIX" 2>/dev/null || true; fail "$*"; }

# The Python: SELFEVAL_PYTHON if it names one; else the kit's own CPython for this machine
# (python/cpython-*-linux-<arch>.tar.gz: 银河麒麟 V10 has Python 3.8, 统信 UOS 20 has 3.7);
# else the newest python3.1x on PATH.
case $ARCH in amd64) ARCH=x86_64 ;; arm64) ARCH=aarch64 ;; esac
OWN=
for archive in "$KIT"/python/cpython-*-linux-"$ARCH".tar.gz; do
    [ -f "$archive" ] && OWN=$archive
done
PY=
if [ -n "${SELFEVAL_PYTHON:-}" ]; then
    PY=$("$SELFEVAL_PYTHON" "$KIT/tools/check_python.py" 2>/dev/null) || PY=
    [ -n "$PY" ] || fail "SELFEVAL_PYTHON=$SELFEVAL_PYTHON 不是可用的 Python 3.11、3.12 或 3.13（64 位）。$KEPT"
elif [ -n "$OWN" ]; then
    NEWPY=$PREFIX/python-$STAMP
    mkdir -p "$NEWPY" && tar -xzf "$OWN" -C "$NEWPY" --strip-components=1 \
        || drop "无法解压安装包自带的 Python（${OWN##*/}），磁盘可能已满。$KEPT"
    for candidate in "$NEWPY"/bin/python3.1[0-9]; do
        PY=$("$candidate" "$KIT/tools/check_python.py" 2>/dev/null) && break || PY=
    done
    [ -n "$PY" ] || drop "安装包自带的 Python 在本机无法运行（见上面的信息）。$KEPT"
else
    for candidate in python3.13 python3.12 python3.11 python3; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        PY=$("$candidate" "$KIT/tools/check_python.py" 2>/dev/null) || PY=
        [ -z "$PY" ] || break
    done
fi
if [ -z "$PY" ]; then
    # One sentence naming the system and what it lacks (UOS 20 has 3.7, Kylin V10 3.8).
    SYSTEM=$(. "${SELFEVAL_OS_RELEASE:-/etc/os-release}" 2>/dev/null && printf '%s' "${PRETTY_NAME:-${NAME:-}}")
    HAVE=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
    if [ -n "$HAVE" ]; then HAVE="只有 Python $HAVE"; else HAVE="没有 Python 3"; fi
    fail "本机（${SYSTEM:-$ARCH}）$HAVE，本程序需要 Python 3.11、3.12 或 3.13（64 位），本安装包不带 Python；请由管理员安装其中一个版本（或使用 Windows 安装包）后再运行。"
fi
say "使用的 Python：$PY"
mkdir -p "$PREFIX" || drop "无法建立文件夹 $PREFIX。"
# Without pip: Debian-like systems ship python3 without ensurepip; the kit carries pip.
"$PY" -m venv --without-pip "$NEW" || drop "无法建立程序环境（python3 -m venv）。$KEPT"
PIP_WHEEL=$(ls "$KIT"/wheels/pip-*.whl | tail -n 1)
say "正在安装程序及其依赖（离线）……"
"$NEW/bin/python" "$PIP_WHEEL/pip" install --quiet --no-index --find-links "$KIT/wheels" \
    "selfeval==@VERSION@" || drop "pip 安装失败（见上面的信息）。$KEPT"
"$NEW/bin/python" -m desktop.cli --version >/dev/null \
    || drop "新安装的程序无法启动（见上面的信息）。$KEPT"
OLD=
if [ -d "$VENV" ] && [ ! -L "$VENV" ]; then  # an install by an earlier kit: a real folder
    OLD=$PREFIX/venv-old-$STAMP
    mv "$VENV" "$OLD" || drop "无法替换原有的程序文件夹 $VENV。$KEPT"
fi
ln -s "venv-$STAMP" "$PREFIX/.venv-link-$STAMP" && mv -f -T "$PREFIX/.venv-link-$STAMP" "$VENV" || {
    rm -f "$PREFIX/.venv-link-$STAMP"
    [ -z "$OLD" ] || mv "$OLD" "$VENV"
    drop "无法启用新安装的程序。$KEPT"
}
# Switched: earlier environments (and any left by an interrupted install) go.
for old in "$PREFIX"/venv-* "$PREFIX"/python-*; do
    [ "$old" = "$NEW" ] || [ "$old" = "$NEWPY" ] || rm -rf "$old"
done

cp "$KIT/uninstall.sh" "$PREFIX/uninstall.sh"
chmod 755 "$PREFIX/uninstall.sh"
# The launchers find the venv beside themselves: pip's bin/selfeval names its interpreter in
# a shebang line, which a home folder with a quote, $ or ` in its name breaks.
for kind in selfeval selfeval-gui; do
    {
        printf '%s\n' '#!/bin/sh' 'here=$(dirname "$(readlink -f "$0")")'
        if [ "$kind" = selfeval ]; then
            printf '%s\n' 'exec "$here/venv/bin/python" -m desktop.cli "$@"'
        else
            printf '%s\n' "exec \"\$here/venv/bin/python\" -c 'import sys; from desktop.cli import main_gui; sys.exit(main_gui())' \"\$@\""
        fi
    } > "$PREFIX/.$kind.new" && chmod 755 "$PREFIX/.$kind.new" && mv -f "$PREFIX/.$kind.new" "$PREFIX/$kind" \
        || fail "无法写入 $PREFIX/$kind。"
done
mkdir -p "$BIN"
ln -sf "$PREFIX/selfeval" "$BIN/selfeval"

# The icon in the user's hicolor theme: the menu entry names it (Icon=selfeval).
for png in "$KIT"/icons/selfeval-*.png; do
    size=${png##*/selfeval-}
    size=${size%.png}
    mkdir -p "$DATA_HOME/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$DATA_HOME/icons/hicolor/${size}x${size}/apps/selfeval.png"
done
mkdir -p "$DATA_HOME/icons/hicolor/scalable/apps"
cp "$KIT/icons/selfeval.svg" "$DATA_HOME/icons/hicolor/scalable/apps/selfeval.svg"
command -v gtk-update-icon-cache >/dev/null 2>&1 \
    && gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" 2>/dev/null || true

mkdir -p "$DATA_HOME/applications"
ENTRY=$DATA_HOME/applications/selfeval.desktop
# The path quoted as the Desktop Entry Specification asks (any character of the home folder).
"$VENV/bin/python" "$KIT/tools/desktop_entry.py" "$KIT/selfeval.desktop" "$PREFIX/selfeval-gui" \
    "$ENTRY" || fail "无法写入菜单项 $ENTRY。"
chmod 755 "$ENTRY"
DESKTOP_DIR=$(xdg-user-dir DESKTOP 2>/dev/null || true)
[ -n "$DESKTOP_DIR" ] && [ "$DESKTOP_DIR" != "$HOME" ] || DESKTOP_DIR=$HOME/Desktop
[ -d "$DESKTOP_DIR" ] || { [ -d "$HOME/桌面" ] && DESKTOP_DIR=$HOME/桌面; }
if [ -d "$DESKTOP_DIR" ]; then
    cp "$ENTRY" "$DESKTOP_DIR/selfeval.desktop"
    chmod 755 "$DESKTOP_DIR/selfeval.desktop"
    # GNOME-like desktops start a .desktop file on the desktop only once it is trusted.
    gio set "$DESKTOP_DIR/selfeval.desktop" metadata::trusted true 2>/dev/null || true
fi
command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database "$DATA_HOME/applications" 2>/dev/null || true

"$PREFIX/selfeval" --version
# The window needs X11/xcb libraries of the system: any that are missing are named, with the
# package to install (the command line works without them).
"$VENV/bin/python" "$KIT/tools/qt_libs.py" || true
say "安装完成。应用程序菜单（办公）中已有“部门整体支出绩效自评”；命令行：$BIN/selfeval"
say "数据保存在 ${XDG_DATA_HOME:-$HOME/.local/share}/selfeval（卸载或重新安装都不会删除）。"
