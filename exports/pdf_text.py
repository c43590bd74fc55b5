"""Chinese line-breaking for the PDF, in linear time.

Lines are broken greedily, one pass over the text: a run of Latin letters and
digits stays whole unless it is longer than a line (then it is broken), no
line starts with closing punctuation or ends with opening punctuation (禁则:
the last characters move to the next line instead of hanging past the
block), and every line but a paragraph's last is justified to the full width
by spreading the remainder over the gaps between characters.

Every character is checked against its font: one the role font lacks is set
in the bundled font when that has it, else printed as 〓 and noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import fonts

CANNOT_START = frozenset("，。、；：！？）》」』】〕〗〙〛”’…—～·%,.;:!?)]}>》〉︶︸︺︼︾﹀﹂﹄﹚﹜﹞")
CANNOT_END = frozenset("（《「『【〔〖〘〚“‘([{<〈")
_MAX_PULL = 4  # characters moved to the next line at most to honour the rules above


@dataclass(frozen=True)
class Line:
    text: str  # as printed (after 〓 substitution)
    width: float  # natural width at the setter's size
    indent: float
    justify: bool


class Setter:
    """Measures and breaks text in one font and size (widths cached per character)."""

    def __init__(self, font: str, size: float, coverage: fonts.Coverage | None = None):
        self.font = font
        self.size = size
        self.coverage = coverage
        self._have = fonts.cmap(font)
        self._bundled = fonts.cmap(fonts.BUNDLED)
        self._width: dict[str, float] = {}
        self._face: dict[str, str] = {}  # character → font that prints it
        self._sub: dict[str, str] = {}  # character → what is printed
        self._foreign: set[str] = set()  # printed characters set in another font

    def _learn(self, ch: str) -> None:
        code = ord(ch)
        printed, face = ch, self.font
        if ch in "\t\u3000" or (ch.isspace() and code not in self._have):
            printed = " " if ch != "\u3000" else "\u3000"
        if code < 0x20 or 0x7F <= code < 0xA0:
            printed = "" if ch != "\t" else " "
        elif ord(printed[:1] or " ") in self._have:
            pass
        elif printed and ord(printed) in self._bundled:
            face = fonts.BUNDLED
        elif printed and not printed.isspace():
            if self.coverage is not None:
                self.coverage.note(ch)
            printed = fonts.SUBSTITUTE
            face = self.font if ord(printed) in self._have else fonts.BUNDLED
        self._sub[ch] = printed
        self._face[printed] = face if printed else self.font
        if printed and face != self.font:
            self._foreign.add(printed)
        self._width[printed] = stringWidth(printed, face, self.size) if printed else 0.0

    def clean(self, text: str) -> str:
        out = []
        for ch in text:
            if ch not in self._sub:
                self._learn(ch)
            out.append(self._sub[ch])
        return "".join(out)

    def width(self, text: str) -> float:
        w = self._width
        return sum(w[ch] for ch in text)

    def face(self, ch: str) -> str:
        return self._face.get(ch, self.font)

    def tokens(self, text: str) -> Iterator[str]:
        """Single characters, or whole runs of Latin letters/digits (kept on one line)."""
        i, n = 0, len(text)
        while i < n:
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] in "._-/@#&+'"):
                j += 1
            if j > i + 1:
                yield text[i:j]
                i = j
            else:
                yield text[i]
                i += 1

    def break_lines(self, text: str, width: float, indent: float = 0.0,
                    justify: bool = True) -> list[Line]:
        """The paragraph's lines; linear in its length."""
        text = self.clean(text)
        w = self._width
        lines: list[Line] = []
        cur: list[str] = []
        cur_w = 0.0
        first_indent = indent
        avail = width - first_indent
        pending = list(self.tokens(text))
        pending.reverse()  # pop() from the end: next token
        while pending:
            tok = pending.pop()
            tw = sum(w[ch] for ch in tok)
            if cur_w + tw <= avail + 0.01:
                if not cur and tok == " ":
                    continue  # no space at a line start
                cur.append(tok)
                cur_w += tw
                continue
            if len(tok) > 1 and tw > width + 0.01:
                # a word longer than a line: break it, filling the current line
                k, acc = 0, cur_w
                while k < len(tok) and acc + w[tok[k]] <= avail + 0.01:
                    acc += w[tok[k]]
                    k += 1
                if k == 0 and not cur:
                    k, acc = 1, cur_w + w[tok[0]]
                if k:
                    cur.append(tok[:k])
                    cur_w = acc
                pending.append(tok[k:])
            elif not cur:
                cur.append(tok)  # wider than a line on its own (one huge glyph): print it
                cur_w += tw
                continue
            else:
                pending.append(tok)
            # 禁则: the next line may not start with closing punctuation,
            # this line may not end with opening punctuation
            pulled = 0
            while (len(cur) > 1 and pulled < _MAX_PULL and pending and
                   (pending[-1][:1] in CANNOT_START or cur[-1][-1:] in CANNOT_END)):
                pending.append(cur.pop())
                pulled += 1
            while cur and cur[-1] == " ":
                cur.pop()
            line = "".join(cur)
            lines.append(Line(line, self.width(line), first_indent, justify))
            cur, cur_w = [], 0.0
            first_indent = 0.0
            avail = width
        line = "".join(cur).rstrip(" ")
        if line or not lines:
            lines.append(Line(line, self.width(line), first_indent, False))
        self._no_lone_character(lines, width)
        return lines

    def _no_lone_character(self, lines: list[Line], width: float) -> None:
        """A last line of one character (识。) takes a companion from the line above."""
        if len(lines) < 2:
            return
        last, prev = lines[-1], lines[-2]
        body = last.text.rstrip("".join(CANNOT_START))
        if len(body) != 1 or len(prev.text) < 4 or not prev.justify:
            return
        moved, rest = prev.text[-1], prev.text[:-1]
        if moved in CANNOT_START or rest[-1] in CANNOT_END or moved.isascii() \
                or body.isascii():
            return
        text = moved + last.text
        if self.width(text) > width - last.indent + 0.01:
            return  # the companion would push the line past the edge
        lines[-2] = Line(rest, self.width(rest), prev.indent, True)
        lines[-1] = Line(text, self.width(text), last.indent, False)

    def draw(self, canvas: Canvas, x: float, y: float, line: Line, width: float,
             align: str = "justify", obj: Any = None) -> None:
        """One line with its baseline at ``y``; ``width`` is the box it fills.

        With ``obj`` (an open text object) the line is added to it, which saves
        a text object per line in long table cells.
        """
        text = line.text
        if not text:
            return
        x += line.indent
        room = width - line.indent
        space = 0.0
        if align == "center":
            x += (room - line.width) / 2
        elif align == "right":
            x += room - line.width
        elif align == "justify" and line.justify and len(text) > 1:
            space = (room - line.width) / (len(text) - 1)
        own = obj is None
        if own:
            obj = canvas.beginText(x, y)
        else:
            obj.setTextOrigin(x, y)
        if space or getattr(obj, "_charSpace", 0):
            obj.setCharSpace(space)
        if self._foreign.isdisjoint(text):
            obj.setFont(self.font, self.size)
            obj.textOut(text)
        else:
            start = 0
            face = self.face(text[0])
            for i in range(1, len(text) + 1):
                nxt = self.face(text[i]) if i < len(text) else None
                if nxt != face:
                    obj.setFont(face, self.size)
                    obj.textOut(text[start:i])
                    start, face = i, nxt or face
        if own:
            canvas.drawText(obj)
