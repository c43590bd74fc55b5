"""Desktop shortcut and Start-menu entry for the program on Windows (安装.bat / 卸载.bat).

    python shortcuts.py create PROGRAM_FOLDER
    python shortcuts.py remove

Shortcuts are made by Windows itself (WScript.Shell through PowerShell).  The
script is handed over base64-encoded (UTF-16), so Chinese names and folders
with spaces pass through whatever the console's code page is.
"""

from __future__ import annotations

import base64
import subprocess
import sys

TITLE = "部门整体支出绩效自评"


# PowerShell takes the typographic single quotes as quotes too (a folder named 张‘三’).
QUOTES = "'\u2018\u2019\u201a\u201b"


def quote(text: str) -> str:
    """A PowerShell single-quoted literal: every quote character inside is doubled."""
    return "'" + "".join(ch * 2 if ch in QUOTES else ch for ch in text) + "'"


def create_script(folder: str) -> str:
    # the kit's own Python without a console, starting the program's launcher script
    program = folder + r"\python\pythonw.exe"
    # a Windows path cannot contain a double quote: quoting it for pythonw is enough
    arguments = f'-I "{folder}\\selfeval-gui.pyw"'
    icon = folder + r"\selfeval.ico,0"  # pythonw.exe's own icon is Python's
    uninstall = folder + r"\卸载.bat"
    return "\n".join([
        "$ErrorActionPreference = 'Stop'",
        "$shell = New-Object -ComObject WScript.Shell",
        "$menu = Join-Path ([Environment]::GetFolderPath('Programs')) " + quote(TITLE),
        "New-Item -ItemType Directory -Force -Path $menu | Out-Null",
        "function Link($path, $target, $description, $icon, $arguments) {",
        "  $link = $shell.CreateShortcut($path)",
        "  $link.TargetPath = $target",
        "  if ($arguments) { $link.Arguments = $arguments }",
        "  if ($icon) { $link.IconLocation = $icon }",
        "  $link.WorkingDirectory = [Environment]::GetFolderPath('MyDocuments')",
        "  $link.Description = $description",
        "  $link.Save()",
        "}",
        f"$desktop = Join-Path ([Environment]::GetFolderPath('Desktop')) {quote(TITLE + '.lnk')}",
        f"Link $desktop {quote(program)} {quote(TITLE)} {quote(icon)} {quote(arguments)}",
        f"Link (Join-Path $menu {quote(TITLE + '.lnk')}) {quote(program)} {quote(TITLE)} "
        + f"{quote(icon)} {quote(arguments)}",
        f"Link (Join-Path $menu {quote('卸载 ' + TITLE + '.lnk')}) {quote(uninstall)} "
        + quote("卸载" + TITLE + "（不删除已填写的数据）"),
    ])


def remove_script() -> str:
    return "\n".join([
        "$menu = Join-Path ([Environment]::GetFolderPath('Programs')) " + quote(TITLE),
        "Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $menu",
        "$desktop = Join-Path ([Environment]::GetFolderPath('Desktop')) " + quote(TITLE + ".lnk"),
        "Remove-Item -Force -ErrorAction SilentlyContinue $desktop",
    ])


def powershell_command(script: str) -> list[str]:
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "create":
        script = create_script(argv[1].rstrip("\\"))
    elif argv == ["remove"]:
        script = remove_script()
    else:
        print("用法：shortcuts.py create 程序文件夹 | shortcuts.py remove", file=sys.stderr)
        return 2
    try:
        done = subprocess.run(powershell_command(script), check=False, capture_output=True)
    except OSError as exc:
        print(f"无法运行 PowerShell：{exc}", file=sys.stderr)
        return 1
    if done.returncode != 0:
        print("创建或删除快捷方式失败：" + done.stderr.decode("mbcs" if sys.platform == "win32"
                                                          else "utf-8", "replace"),
              file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
