"""佐证材料 in the window: added by the button or by dropping files, removed with Delete, each an
undoable step that names the indicator; the 报送包 made from the File menu holds them."""

from __future__ import annotations

import zipfile

import pytest
from desktop_typing import no_qt_warnings, setup_app, show  # noqa: F401
from desktop_windows import open_window, shown  # noqa: F401
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from desktop.form.document import Document
from desktop.form.pages.indicators import IndicatorsPage
from exports.pack import check_pack
from forms.evidence import leaf_owner


@pytest.fixture
def page(qtbot, qapp, sample, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    setup_app(qapp)
    return show(qtbot, IndicatorsPage(Document(sample)))


def _files(tmp_path, *names):
    out = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(name.encode("utf-8") * 100)
        out.append(str(path))
    return out


def test_files_are_added_by_button_and_by_drop_and_undo_takes_them_back(page, qtbot, tmp_path,
                                                                       monkeypatch):
    assert page.focus_leaf("exec_rate")
    QApplication.processEvents()
    box = page.panel.evidence
    assert box.isVisible() and box.files.count() == 0
    document = page.document
    owner = leaf_owner("exec_rate")
    monkeypatch.setattr(box, "ask_paths", lambda: _files(tmp_path, "决算报表.pdf", "会议纪要.docx"))
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in document.evaluation.evidence[owner]] == ["决算报表.pdf", "会议纪要.docx"]
    assert box.files.count() == 2 and "决算报表.pdf" in box.files.item(0).text()
    assert document.undo_stack.undoText().startswith("添加佐证材料：指标 › 预算执行率")
    # a file dropped from the file manager
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in _files(tmp_path, "照片.jpg")])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    box.files.dropEvent(drop)
    assert [r.name for r in document.evaluation.evidence[owner]][-1] == "照片.jpg"
    # the same file again is not listed twice
    box.add_paths(_files(tmp_path, "照片.jpg"))
    assert len(document.evaluation.evidence[owner]) == 3
    # Delete on the selected file removes it; Ctrl+Z brings it back
    box.files.setCurrentRow(0)
    box.files.setFocus()
    qtbot.keyClick(box.files, Qt.Key.Key_Delete)
    assert [r.name for r in document.evaluation.evidence[owner]] == ["会议纪要.docx", "照片.jpg"]
    document.undo_stack.undo()
    QApplication.processEvents()
    assert len(document.evaluation.evidence[owner]) == 3 and box.files.count() == 3


def test_a_folder_or_a_missing_file_is_refused_with_its_name(page, tmp_path, monkeypatch):
    assert page.focus_leaf("exec_rate")
    seen: list[str] = []
    from desktop.common import messages

    monkeypatch.setattr(messages, "warning", lambda parent, text, **kw: seen.append(text))
    page.panel.evidence.add_paths([str(tmp_path), str(tmp_path / "没有.pdf")])
    assert not page.document.evaluation.evidence
    assert "不是普通文件" in seen[0] and "没有.pdf" in seen[0]


@pytest.mark.slow
def test_the_pack_from_the_file_menu_holds_the_evidence(open_window, shown, qtbot, tmp_path,
                                                        monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    window = open_window(tmp_path / "lib.db")
    document = window.document
    from forms.evidence import EvidenceStore
    from forms.paths import user_evidence_dir

    ref = EvidenceStore(user_evidence_dir()).add(_files(tmp_path, "决算报表.pdf")[0])
    document.apply(document.evaluation.with_evidence(leaf_owner("exec_rate"), (ref,)), "添加")
    actions = window.exports
    monkeypatch.setattr(actions, "ask_save_path", lambda *a: str(tmp_path / "报送.zip"))
    monkeypatch.setattr(actions, "offer_open", lambda path: None)
    with qtbot.waitSignal(actions.finished, timeout=30000):
        window.commands.pack.trigger()
    with zipfile.ZipFile(tmp_path / "报送.zip") as zf:
        assert check_pack(zf).intact
        assert any(n.endswith("/决算报表.pdf") and "预算执行率" in n for n in zf.namelist())
        manifest = zf.read("清单.txt").decode("utf-8")
    assert "库中修订号：" in manifest
