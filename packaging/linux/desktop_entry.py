"""Write the menu entry (install.sh): the program's path put into ``Exec=`` the way the
Desktop Entry Specification reads it back, whatever characters the home folder has.

    python3 desktop_entry.py TEMPLATE PROGRAM OUTPUT

The path is one quoted argument: inside the quotes ``"`` `` ` `` ``$`` and ``\\`` get a
backslash, ``%`` is doubled (field codes), and then the value is escaped as a desktop-file
string (``\\`` doubled, newline, tab and carriage return as ``\\n``, ``\\t``, ``\\r``).
"""

from __future__ import annotations

import sys
from pathlib import Path

STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def exec_argument(path: str) -> str:
    quoted = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in path) + '"'
    quoted = quoted.replace("%", "%%")
    return "".join(STRING_ESCAPES.get(ch, ch) for ch in quoted)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("用法：desktop_entry.py 模板 程序 输出文件", file=sys.stderr)
        return 2
    template, program, output = argv
    text = Path(template).read_text(encoding="utf-8").replace("@EXEC@", exec_argument(program))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        print("程序所在文件夹的名称不是 UTF-8 编码，菜单项无法指向它。", file=sys.stderr)
        return 1
    Path(output).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
