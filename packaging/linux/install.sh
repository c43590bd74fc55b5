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

fail() { echo "安装没有完成：$*" >&2; exit 1; }

[ -d "$KIT/wheels" ] || fail "找不到 wheels 文件夹，请先完整解压安装包。"

# The kit's PySide6 wheels need glibc 2.28 on x86_64 and 2.39 on aarch64 (说明.txt says why):
# said before anything is installed, not as a pip error about missing wheels.
older() {  # is glibc version $1 older than $2?  (major.minor)
    a=${1%%.*} b=${2%%.*} c=${1#*.} d=${2#*.}
    c=${c%%.*} d=${d%%.*}
    [ "$a" -lt "$b" ] || { [ "$a" -eq "$b" ] && [ "$c" -lt "$d" ]; }
}
ARCH=$(uname -m)
case $ARCH in
    x86_64|amd64) NEED=2.28 ;;
    aarch64|arm64) NEED=2.39 ;;
    *) fail "本安装包只适用于 x86_64 和 aarch64（ARM64）的电脑，本机是 $ARCH（如龙芯 loongarch64、mips64、申威等），无法安装。" ;;
esac
GLIBC=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9][0-9.]*\).*/\1/p')
[ -n "$GLIBC" ] || GLIBC=$(ldd --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p')
if [ -z "$GLIBC" ]; then
    echo "注意：无法确定本机的 glibc 版本（$ARCH 需要 glibc $NEED 或更新），仍继续安装。" >&2
elif older "$GLIBC" "$NEED"; then
    case $ARCH in
        aarch64|arm64) why="图形界面库 PySide6 只为 glibc 2.39 及以后的 ARM 系统提供" ;;
        *) why="图形界面库 PySide6 需要 glibc 2.28 或更新" ;;
    esac
    fail "本机（$ARCH）的 glibc 是 $GLIBC，本程序需要 glibc $NEED 或更新（$why）。请换用较新的系统版本，或在 x86_64 电脑上安装。"
fi

# SELFEVAL_PYTHON names an interpreter to use; else the newest python3.1x on PATH.
PY=
for candidate in ${SELFEVAL_PYTHON:-} python3.13 python3.12 python3.11 python3; do
    [ -n "$PY" ] && break
    command -v "$candidate" >/dev/null 2>&1 || continue
    PY=$("$candidate" "$KIT/tools/check_python.py" 2>/dev/null) || PY=
done
[ -n "$PY" ] || fail "本机没有 Python 3.11、3.12 或 3.13（64 位）。请由管理员安装 python3 后再运行。"

echo "部门整体支出绩效自评 @VERSION@：安装到 $PREFIX"
echo "使用的 Python：$PY"
mkdir -p "$PREFIX"
# Without pip: Debian-like systems ship python3 without ensurepip; the kit carries pip.
"$PY" -m venv --clear --without-pip "$VENV" || fail "无法建立程序环境（python3 -m venv）。"
PIP_WHEEL=$(ls "$KIT"/wheels/pip-*.whl | tail -n 1)
echo "正在安装程序及其依赖（离线）……"
"$VENV/bin/python" "$PIP_WHEEL/pip" install --quiet --no-index --find-links "$KIT/wheels" \
    "selfeval==@VERSION@" || fail "pip 安装失败（见上面的信息）。"

cp "$KIT/uninstall.sh" "$PREFIX/uninstall.sh"
chmod 755 "$PREFIX/uninstall.sh"
mkdir -p "$BIN"
ln -sf "$VENV/bin/selfeval" "$BIN/selfeval"

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
sed "s|@EXEC@|$VENV/bin/selfeval-gui|" "$KIT/selfeval.desktop" > "$ENTRY"
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

"$VENV/bin/selfeval" --version
echo "安装完成。应用程序菜单（办公）中已有“部门整体支出绩效自评”；命令行：$BIN/selfeval"
echo "数据保存在 ${XDG_DATA_HOME:-$HOME/.local/share}/selfeval（卸载或重新安装都不会删除）。"
