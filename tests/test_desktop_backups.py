"""恢复备份, 回收站 and the losses found at start, as the clerk meets them."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from desktop.shell.about import about_text
from desktop.shell.library_dialog import LibraryDialog
from desktop.shell.restore_dialog import RecycleDialog, RestoreDialog
from desktop_windows import menu_titled, open_window, shown  # noqa: F401 - fixtures
from forms import backups
from forms.catalog import sample_package_bytes
from forms.package import read_package
from forms.paths import default_db_path
from forms.storage import Library


def library_of_two():
    library = Library(default_db_path())
    first = library.ensure_sample(sample_package_bytes())
    second = library.start_next_year(first)
    return library, first, second


def test_restore_ticked_evaluations_beside_the_current_ones(qtbot, shown):
    library, _first, _second = library_of_two()
    made = backups.snapshot(library, "manual")
    dialog = RestoreDialog(library)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2 and dialog.table.item(0, 1).text() == "手动备份"
    assert str(backups.folder_of(library.path)) in dialog.where.text()
    assert dialog.contents.count() == 2
    dialog.contents.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.restore_some, Qt.MouseButton.LeftButton)
    [added] = dialog.added
    row = next(r for r in library.list() if r.id == added)
    assert row.label == backups.label_of(made) and len(library) == 3
    assert "已恢复 1 份评价" in shown[-1][2]
    library.close()


def test_restore_the_whole_library_after_confirming(qtbot, shown):
    library, first, second = library_of_two()
    made = backups.snapshot(library, "manual")
    library.delete(second)
    dialog = RestoreDialog(library)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(next(i for i, s in enumerate(dialog.snapshots) if s.id == made.id))
    qtbot.mouseClick(dialog.restore_all, Qt.MouseButton.LeftButton)  # answered 取消
    assert len(library) == 1 and not dialog.restored_library
    shown.answers.append(0)
    qtbot.mouseClick(dialog.restore_all, Qt.MouseButton.LeftButton)
    assert dialog.restored_library and sorted(r.id for r in library.list()) == [first, second]
    library.close()


def test_deleted_goes_to_the_recycle_bin_and_comes_back_from_the_library_dialog(qtbot, shown):
    library, first, second = library_of_two()
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    dialog.select_id(second)
    shown.answers.append(0)
    dialog.delete_selected()
    assert dialog.table.rowCount() == 1
    recycle = RecycleDialog(library)
    qtbot.addWidget(recycle)
    assert recycle.table.rowCount() == 1 and recycle.table.item(0, 1).text() == "2023"
    assert recycle.table.item(0, 3).text()[:4] >= "2026"
    recycle.restore_selected()
    assert recycle.restored == [second] and recycle.table.rowCount() == 0
    assert sorted(r.id for r in library.list()) == [first, second]
    library.close()


def test_at_start_a_lost_evaluation_is_named_and_brought_back_from_the_newest_snapshot(
        open_window, shown, tmp_path):
    library, first, _second = library_of_two()
    library.close()
    running = Library(default_db_path())
    after = read_package(sample_package_bytes()).with_narrative("problems", "最后写的问题")
    running.save(first, after)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copy(running.path, crashed / "selfeval.db")  # the WAL and the marker are lost
    shutil.copytree(backups.folder_of(running.path), crashed / "backups")
    running.close()
    shown.answers.append(0)  # 从备份找回
    window = open_window(crashed / "selfeval.db")
    _kind, title, text = next(m for m in shown if m[0] == "ask")
    assert title == "有评价丢失" and "第 2 版" in text and "可以找回" in text
    assert window.library.get(first).narrative["problems"] == "最后写的问题"
    assert "已从备份找回" in shown[-1][2] or any("已从备份找回" in m[2] for m in shown)


def test_about_says_where_the_backups_are(qapp):
    assert str(backups.folder_of(default_db_path())) in about_text(default_db_path())


def test_an_import_that_replaces_copies_the_library_first(open_window, shown, monkeypatch,
                                                          tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from forms.package import write_package

    window = open_window()
    evaluation_id = window.document.evaluation_id
    before = window.library.raw_package(evaluation_id)
    path = tmp_path / "again.json"
    path.write_bytes(write_package(window.document.evaluation.with_narrative("problems", "导入的")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    shown.answers.append(0)  # 替换已有的
    window.opening.import_package()
    made = backups.listing(window.library.path)[0]
    assert made.kinds == ("import",)
    assert backups.package_text(made, evaluation_id).encode() == before


def test_the_whole_library_exported_to_one_zip_of_packages(open_window, shown, monkeypatch,
                                                          tmp_path):
    import zipfile

    from PySide6.QtWidgets import QFileDialog

    window = open_window()
    second = window.library.start_next_year(window.document.evaluation_id)
    target = tmp_path / "全部.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.commands.export_library.trigger()
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        packages = [read_package(archive.read(n)) for n in names]
    assert len(names) == 2 and names[1].endswith(f"-{second}.json")
    assert sorted(p.department.year for p in packages) == [2022, 2023]


def test_a_lost_log_with_nothing_to_compare_is_said_at_start(open_window, shown, tmp_path):
    library, first, _second = library_of_two()
    library.close()
    running = Library(default_db_path())
    running.save(first, read_package(sample_package_bytes()))
    shutil.rmtree(backups.folder_of(running.path))
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copy(running.path, crashed / "selfeval.db")
    running.close()
    open_window(crashed / "selfeval.db")
    [text] = [text for kind, _, text in shown if "日志文件（-wal）" in text]
    assert "可能没有保存" in text


def test_file_menu_restore_brings_the_open_window_back_to_the_snapshot(open_window, shown,
                                                                      monkeypatch):
    window = open_window()
    document = window.document
    document.apply(document.evaluation.with_narrative("problems", "备份前的文字"), "编辑")
    window.save_now()
    made = backups.snapshot(window.library, "manual")
    document = window.document
    document.apply(document.evaluation.with_narrative("problems", "之后的文字"), "编辑")

    def choose(dialog):
        dialog.table.selectRow(next(i for i, s in enumerate(dialog.snapshots) if s.id == made.id))
        shown.answers.append(0)  # 恢复
        dialog.restore_whole()
        return 1

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    menu = menu_titled(window, "文件")
    assert window.commands.restore in menu.actions() and window.commands.export_library in menu.actions()
    window.commands.restore.trigger()
    assert window.document.evaluation.narrative["problems"] == "备份前的文字"
    assert window.library.get(window.document.evaluation_id).narrative["problems"] == "备份前的文字"
    # what was typed after the snapshot is in the copy taken before the restore
    before = backups.listing(window.library.path)[0]
    assert "restore" in before.kinds
    assert "之后的文字" in backups.package_text(before, window.document.evaluation_id)


def test_a_copy_that_cannot_be_made_is_said_once_and_the_save_still_happens(open_window, shown,
                                                                            qtbot):
    window = open_window()
    folder = backups.folder_of(window.library.path)
    assert not folder.exists()
    folder.write_text("a file where the folder should be", encoding="utf-8")
    document = window.document
    for text in ("第一次", "第二次"):
        document.apply(document.evaluation.with_narrative("problems", text), "编辑")
        qtbot.waitUntil(lambda t=text: window.library.get(document.evaluation_id)
                        .narrative["problems"] == t, timeout=3000)
        qtbot.wait(50)
    said = [text for kind, title, text in shown if title == "未能自动备份"]
    assert len(said) == 1 and str(folder) in said[0] and "修改已正常保存" in said[0]
