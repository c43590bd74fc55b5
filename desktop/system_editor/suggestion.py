"""按评分标准识别 and 确认规则 in the detail pane: reading a leaf's rule out of its 评分标准
text on the clerk's request, and the clerk confirming a rule read that way.

``RuleSuggestion`` owns the two buttons, the note under the rule row and the running
recognition (``recognition.Recognition``, off the window's thread).  The detail pane lays
its widgets out and tells it which leaf is shown (``show_leaf``); it writes the rule into
the draft it is given and emits ``edited`` (an ``Edit`` naming the step, which undo takes
back) after a rule was read or confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from desktop.system_editor.recognition import Recognition
from desktop.system_editor.undo import Edit
from forms.numbers import NumberError, parse_number
from forms.rules import Suggestion
from forms.system_edit import NodePath, SystemDraft

IDLE = "按评分标准识别"


class RuleSuggestion(QObject):
    """The buttons and the note of 按评分标准识别; emits ``edited(Edit)``."""

    edited = Signal(object)  # Edit

    def __init__(self, draft: Callable[[], SystemDraft], parent: QObject | None = None):
        super().__init__(parent)
        self._draft = draft
        self._read_only = False
        self._leaf: NodePath | None = None  # the leaf shown
        self._recognising: NodePath | None = None  # the leaf whose text is being read
        self.button = QPushButton(IDLE)
        self.button.setObjectName("suggest")
        self.button.setToolTip("从上面的评分标准文字读出评分规则（如“①…得2分；②…得3分”、"
                               "“每超过1个百分点扣0.5分”），可撤销")
        self.button.clicked.connect(self.recognise_rule)
        self.recognition = Recognition(self.button)
        self.recognition.done.connect(self._recognised)
        self.confirm_button = QPushButton("确认规则")
        self.confirm_button.setObjectName("confirm_rule")
        self.confirm_button.setToolTip("规则是从评分标准读出的；核对参数无误后确认，去掉“请核对”标记")
        self.confirm_button.clicked.connect(self.confirm_rule)
        self.confirm_button.hide()
        self.note = QLabel()
        self.note.setObjectName("suggest_note")
        self.note.setWordWrap(True)
        self._say("", "#1a5fb4")

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.button.setEnabled(not read_only)

    def show_leaf(self, path: NodePath | None) -> None:
        """The detail pane shows the leaf at ``path`` now (None: a group or nothing): a
        recognition of another leaf is dropped, a rule waiting to be checked says so."""
        if self.recognition.running and path != self._recognising:
            self.cancel_recognition(say=False)  # the clerk moved on: its result is dropped
        self._leaf = path
        self.note.setText("")
        review = str(self._draft().node(path).get("review") or "") if path is not None else ""
        self.confirm_button.setVisible(bool(review) and not self._read_only)
        if review:
            self._say(f"请核对：{review}。核对无误后点“确认规则”。", "#b35c00")

    def recognise_rule(self) -> None:
        """Read the rule out of the 评分标准 text, on the clerk's request, off the window's
        thread; a second click while it runs cancels it."""
        if self.recognition.running:
            self.cancel_recognition()
            return
        path = self._leaf
        if self._read_only or path is None or not self._draft().is_leaf(path):
            return
        node = self._draft().node(path)
        numbers: dict[str, Decimal | None] = {}
        for key in ("weight", "target"):
            try:
                numbers[key] = parse_number(node.get(key), required=False)
            except NumberError:
                numbers[key] = None
        self._recognising = path
        self.button.setText("取消识别")
        self._say("正在识别评分标准……", "#555")
        self.recognition.start(str(node.get("criteria") or ""), numbers["weight"],
                               numbers["target"])

    def cancel_recognition(self, say: bool = True) -> None:
        self.recognition.cancel()
        self.button.setText(IDLE)
        if say:
            self._say("已取消识别，评分规则未改动。", "#b7791f")

    def confirm_rule(self) -> None:
        """The clerk checked a rule read from the criteria text: the 请核对 mark goes."""
        path = self._leaf
        if self._read_only or path is None or not self._draft().is_leaf(path):
            return
        self._draft().confirm_rule(path)
        self.confirm_button.hide()
        self.note.setText("")
        self.edited.emit(Edit(step="确认规则", before=path))

    def _recognised(self, found: Suggestion | None, reason: str) -> None:
        self.button.setText(IDLE)
        path = self._recognising
        if path is None or path != self._leaf or self._read_only \
                or not self._draft().is_leaf(path):
            return
        if found is None:
            self._say(f"未能从评分标准中识别出评分规则（{reason}），请在下拉框中选择并填写参数。",
                      "#b7791f")
            return
        self._draft().set_rule(path, found.rule)
        # the detail pane shows the new rule (and calls show_leaf) before the note below
        self.edited.emit(Edit(preview=True, step="按评分标准识别", before=path))
        self._say(f"{found.explanation}。请核对下面的参数（可撤销）。", "#1a5fb4")

    def _say(self, text: str, colour: str) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {colour};")
