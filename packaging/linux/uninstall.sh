#!/bin/sh
# Remove 部门整体支出绩效自评 for the current user; the data folder is kept.
set -eu
PREFIX=${SELFEVAL_PREFIX:-$HOME/.local/opt/selfeval}
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
rm -f "$DATA_HOME/applications/selfeval.desktop"
rm -f "$DATA_HOME"/icons/hicolor/*/apps/selfeval.png "$DATA_HOME/icons/hicolor/scalable/apps/selfeval.svg"
for dir in "$(xdg-user-dir DESKTOP 2>/dev/null || true)" "$HOME/Desktop" "$HOME/桌面"; do
    [ -n "$dir" ] && rm -f "$dir/selfeval.desktop"
done
link=$HOME/.local/bin/selfeval
if [ -L "$link" ] && { [ "$(readlink "$link")" = "$PREFIX/selfeval" ] \
        || [ "$(readlink "$link")" = "$PREFIX/venv/bin/selfeval" ]; }; then
    rm -f "$link"
fi
rm -rf "$PREFIX"
printf '%s\n' "已卸载。填写的数据仍在 $DATA_HOME/selfeval。"
