"""The command line means the same files wherever it is started from."""

from __future__ import annotations


from desktop import cli
from forms.package import load_package


def test_a_system_id_is_an_id_even_when_the_folder_holds_a_file_of_that_name(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "national-common").mkdir()  # e.g. where the clerk unpacked the notice
    (tmp_path / "sichuan-dazhou").write_text("not a system", encoding="utf-8")
    for system in ("national-common", "sichuan-dazhou"):
        out = f"{system}-new.json"
        assert cli.main(["new", "--system", system, "--department", "某局", "--year", "2024",
                         "-o", out]) == 0, capsys.readouterr().err
        assert load_package(tmp_path / out).system.id == system
    # a path is still a path
    assert cli.main(["new", "--system", "./sichuan-dazhou", "--department", "某局", "--year",
                     "2024", "-o", "x.json"]) == 2
    assert "sichuan-dazhou" in capsys.readouterr().err


def test_gui_db_given_relative_is_opened_by_its_absolute_path(tmp_path, monkeypatch):
    import desktop.shell.app as app

    seen: list[str | None] = []
    monkeypatch.setattr(app, "run", lambda db_path=None: seen.append(db_path) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["gui", "--db", "库/评价.db"]) == 0
    assert cli.main(["--db", "评价.db"]) == 0
    assert cli.main(["--db", "前.db", "gui"]) == 0  # given before the command: not dropped
    assert cli.main(["gui"]) == 0
    assert seen == [str(tmp_path / "库" / "评价.db"), str(tmp_path / "评价.db"),
                    str(tmp_path / "前.db"), None]
