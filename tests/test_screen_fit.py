"""Laptop screens at 100 %, 125 % and 150 %: every window and dialog fits, nothing is cut off.

The slow test opens the main window (each page), the system editor, the review window and
every dialog on an offscreen screen of each size (tests/screen_fit.py, a process a screen).
Whatever CJK font the machine has, the layout holds, because it measures its texts; run it
also with another font, e.g. ``FONTCONFIG_FILE`` naming a folder with Noto Sans CJK.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from screen_fit import SCREENS, logical_room, problems, run

from desktop.common.qt_setup import setup_application
from desktop.common.screen import VerticalScrollArea, compact, fit_to_screen, room_for
from desktop.common.widgets import WrapCheckBox

LONG = "绩效目标符合国家、省、市相关政策和本地经济社会发展规划（2分）"


@pytest.mark.slow
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_and_dialog_fits_the_laptop_screen(screen, tmp_path):
    found = run(screen, shots=tmp_path)
    assert found == [], f"{screen}（{'×'.join(map(str, logical_room(screen)))}）:\n" + "\n".join(found)
    assert len(list(tmp_path.glob("*.png"))) >= 18  # every window and dialog was opened


def test_the_check_finds_a_cut_off_button_and_a_window_too_large(qapp):
    setup_application(qapp)
    window = QWidget()
    row = QHBoxLayout(window)
    inner = QWidget()
    inner.setFixedWidth(120)
    button = QPushButton("按评分标准识别", inner)
    button.setGeometry(60, 0, 110, 30)  # its right edge past its parent's
    label = QLabel("适用地区：广州市黄埔区", window)
    row.addWidget(inner)
    row.addWidget(label)
    window.resize(400, 80)
    window.show()
    label.setFixedWidth(40)
    QApplication.processEvents()
    screen = qapp.primaryScreen().availableGeometry()
    found = problems(window, screen.adjusted(0, 0, -screen.width() + 300, 0))
    assert any("大于屏幕" in f for f in found)
    assert any("右边被遮住" in f and "按评分标准识别" in f for f in found)
    assert any("文字被截断" in f and "适用地区" in f for f in found)
    window.close()


def test_a_window_asks_for_its_size_and_gets_at_most_the_screen(qapp):
    room = room_for(QWidget())
    assert room is not None
    window = QWidget()
    fit_to_screen(window, 5000, 4000)
    assert (window.width(), window.height()) == (room.width(), room.height())
    small = QWidget()
    fit_to_screen(small, 300, 200)
    assert (small.width(), small.height()) == (300, 200)


def test_a_long_check_box_wraps_instead_of_widening_its_pane(qapp, qtbot):
    setup_application(qapp)
    box = WrapCheckBox(LONG)
    one_line = box.fontMetrics().horizontalAdvance(LONG)
    assert box.minimumSizeHint().width() < one_line / 2
    assert box.heightForWidth(one_line // 3) >= 3 * box.fontMetrics().height()
    pane = QWidget()
    column = QVBoxLayout(pane)
    column.addWidget(box)
    qtbot.addWidget(pane)
    pane.resize(220, 200)
    pane.show()
    qtbot.waitExposed(pane)
    assert box.width() <= 220 and box.height() >= 2 * box.fontMetrics().height()
    # a click on the text's last line ticks it, as on any check box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() - 30, box.height() - 6))
    assert box.isChecked()


def test_a_vertical_scroll_area_is_never_narrower_than_its_fields(qapp):
    setup_application(qapp)
    area = VerticalScrollArea()
    inner = QWidget()
    row = QHBoxLayout(inner)
    button = compact(QPushButton("按评分标准识别"))
    row.addWidget(QLabel("评分规则："))
    row.addWidget(button)
    area.setWidget(inner)
    assert area.minimumSizeHint().width() >= inner.minimumSizeHint().width()
    text = button.fontMetrics().horizontalAdvance("按评分标准识别")
    assert text < button.minimumWidth() < text + 40


def test_a_wrapping_check_box_shows_where_the_keyboard_is(qapp, qtbot):
    from PySide6.QtWidgets import QLineEdit

    setup_application(qapp)
    pane = QWidget()
    column = QVBoxLayout(pane)
    field = QLineEdit()
    box = WrapCheckBox(LONG)
    column.addWidget(field)
    column.addWidget(box)
    qtbot.addWidget(pane)
    pane.resize(220, 140)
    pane.show()
    qtbot.waitExposed(pane)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    def text_part():  # right of the box itself (whose own look changes with focus too)
        image = box.grab().toImage()
        return image.copy(30, 0, image.width() - 30, image.height())

    unfocused = text_part()
    qtbot.keyClick(field, Qt.Key.Key_Tab)  # as the clerk moves on with Tab
    qtbot.waitUntil(box.hasFocus)
    assert text_part() != unfocused  # a focus frame around the text
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
