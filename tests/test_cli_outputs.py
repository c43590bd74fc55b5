"""No output over an input: every command refuses, before any work, an output that is one of
its inputs (by path, by link, by inode), a folder or a special file, and two formats sent
to one file.  The input is left byte for byte, the FIFO stays a FIFO, the link stays a link."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from conftest import SAMPLE
from desktop.cli import main
from forms.files import WriteFailed, output_problem, write_atomic
from hostile_corpus import output_clashes, plain_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    package = folder / "package.json"
    shutil.copy(SAMPLE, package)
    submissions = folder / "submissions"
    submissions.mkdir()
    workbook = submissions / "x.xlsx"
    assert main(["export", str(package), "--xlsx", str(workbook)]) == 0
    table = folder / "table.xlsx"
    table.write_bytes(plain_workbook())
    system = folder / "system.json"
    shutil.copy(ROOT / "forms" / "systems" / "sichuan-dazhou.json", system)
    return {"package": package, "workbook": workbook, "table": table, "system": system,
            "submissions": submissions}


# command → (the input it reads, its arguments for an output)
COMMANDS = {
    "export --xlsx": ("package", lambda s, o: ["export", s["package"], "--xlsx", o]),
    "export --pdf": ("package", lambda s, o: ["export", s["package"], "--pdf", o]),
    "export --docx": ("package", lambda s, o: ["export", s["package"], "--docx", o]),
    "import": ("workbook", lambda s, o: ["import", s["workbook"], "-o", o]),
    "system-import": ("table", lambda s, o: ["system-import", s["table"], "-o", o]),
    "new": ("system", lambda s, o: ["new", "--system", s["system"], "--department", "某局",
                                    "--year", "2024", "-o", o]),
    "review -o": ("workbook", lambda s, o: ["review", s["submissions"], "-o", o]),
    "review --pdf": ("workbook", lambda s, o: ["review", s["submissions"], "--pdf", o]),
}
CLASHES = ["same-path", "dotted-path", "symlink", "hard-link", "fifo", "folder", "dev-null"]


def _kind(path: Path) -> str:
    if path.is_symlink():
        return f"link→{os.readlink(path)}"
    mode = os.stat(path).st_mode
    return "fifo" if stat.S_ISFIFO(mode) else "dir" if stat.S_ISDIR(mode) else "file"


@pytest.mark.parametrize("clash", CLASHES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_an_output_over_its_input(sources, tmp_path, capsys, command, clash):
    source_key, argv = COMMANDS[command]
    source = sources[source_key]
    before = source.read_bytes()
    target = output_clashes(tmp_path / "out", source)[clash]
    kind = _kind(target)
    assert main([str(a) for a in argv(sources, target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("selfeval：") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert source.read_bytes() == before
    assert _kind(target) == kind  # the FIFO, the link to /dev/null and the folder untouched
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_review_summary_never_lands_on_a_submission(sources, capsys):
    before = sources["workbook"].read_bytes()
    for option in ("-o", "--pdf"):
        assert main(["review", str(sources["submissions"]), option,
                     str(sources["submissions"] / "x.xlsx")]) == 2
        assert "就是输入文件" in capsys.readouterr().err
    # and through a linked folder under the reviewed one
    link = sources["submissions"] / "again"
    link.symlink_to(sources["submissions"])
    try:
        assert main(["review", str(sources["submissions"]), "-o", str(link / "x.xlsx")]) == 2
    finally:
        link.unlink()
    assert sources["workbook"].read_bytes() == before


def test_each_format_gets_its_own_file(sources, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["export", str(sources["package"]), "--xlsx", str(out), "--pdf", str(out),
                 "--docx", str(out)]) == 2
    assert "每种格式须各写入一个文件" in capsys.readouterr().err
    assert not out.exists()
    os.symlink(out.with_name("p"), out.with_name("q"))  # two names of one (new) file
    assert main(["export", str(sources["package"]), "--xlsx", str(out.with_name("p")),
                 "--pdf", str(out.with_name("q"))]) == 2
    assert main(["review", str(sources["submissions"]), "-o", str(out), "--pdf", str(out)]) == 2
    capsys.readouterr()
    # distinct files are fine
    assert main(["export", str(sources["package"]), "--xlsx", str(tmp_path / "a.xlsx"),
                 "--docx", str(tmp_path / "a.docx")]) == 0
    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"


def test_the_atomic_write_itself_refuses_special_files_folders_and_inputs(tmp_path):
    """Every writer of the program (dialogs, the library's exports) goes through write_atomic:
    it never replaces a FIFO, a link to a device, a folder, or a named input."""
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    clashes = output_clashes(tmp_path / "out", source)
    for name in ("fifo", "folder", "dev-null"):
        kind = _kind(clashes[name])
        with pytest.raises(WriteFailed) as caught:
            write_atomic(clashes[name], b"x")
        assert "\n" not in str(caught.value) and str(clashes[name]) in str(caught.value)
        assert _kind(clashes[name]) == kind
    for name in ("same-path", "dotted-path", "symlink", "hard-link"):
        with pytest.raises(WriteFailed):
            write_atomic(clashes[name], b"x", [source])
        assert source.read_text(encoding="utf-8") == "{}"
    write_atomic(tmp_path / "new.json", b"x", [source])  # a new file is fine
    assert output_problem([tmp_path / "a", tmp_path / "b"], [source]) is None
