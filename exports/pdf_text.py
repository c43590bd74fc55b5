"""Chinese line-breaking for the PDF, in linear time.

Lines are broken greedily, one pass over the text: a run of Latin letters and
digits stays whole unless it is longer than a line (then it is broken), no
line starts with closing punctuation or ends with opening punctuation (禁则:
the last characters move to the next line instead of hanging past the
block), and every line but a paragraph's last is justified to the full width
by spreading the remainder over the gaps between characters.

As the published reports are set: 。，；：”） at a line end take half their width (their
glyph sits in the left half of the em), and when a closing mark does not fit at a line's
end the same marks inside the line give up half their width to take it in, before a
character is moved to the next line with it (which would stretch the line); the
letter-spacing of a justified line is at most a tenth of the type size (a line that
would need more, before a number too long to fit, ends short instead of gaping).

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
COMPRESSIBLE = frozenset("。，；：”）")
MAX_STRETCH = 0.10  # letter-spacing of a justified line, at most, in ems


@dataclass(frozen=True)
class Line:
    text: str  # as printed (after 〓 substitution)
    width: float  # width at the setter's size, after the halved marks
    indent: float
    justify: bool
    halved: tuple[int, ...] = ()  # positions in ``text`` of marks set at half width


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
        self._half: dict[str, float] = {}  # printed mark → the width it can give up

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
        if printed in COMPRESSIBLE and _ink_in_left_half(face, printed):
            self._half[printed] = self._width[printed] / 2

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

    def _squeeze(self, text: str) -> float:
        h = self._half
        return sum(h.get(ch, 0.0) for ch in text) if h else 0.0

    def line(self, text: str, indent: float, justify: bool, room: float) -> Line:
        """A line with its closing mark halved, and the marks before it halved from the end
        back as far as needed to fit ``room``."""
        natural = self.width(text)
        h = self._half
        halved: list[int] = []
        if text and text[-1] in h:
            natural -= h[text[-1]]
            halved.append(len(text) - 1)
        i = len(text) - 2
        while natural > room + 0.01 and i >= 0:
            if text[i] in h:
                natural -= h[text[i]]
                halved.append(i)
            i -= 1
        return Line(text, natural, indent, justify, tuple(sorted(halved)))

    def _split(self, tok: str, room: float, width: float) -> list[tuple[str, float]]:
        """A word longer than a line, in pieces: the first fills ``room``, each other a
        whole line (one pass: a 400,000-letter word costs what 400,000 letters cost)."""
        w = self._width
        pieces: list[tuple[str, float]] = []
        start, acc, limit = 0, 0.0, room
        for i, ch in enumerate(tok):
            cw = w[ch]
            if acc + cw > limit + 0.01 and (i > start or limit < width):
                if i > start:
                    pieces.append((tok[start:i], acc))
                start, acc, limit = i, 0.0, width
            acc += cw
        pieces.append((tok[start:], acc))
        return pieces

    def break_lines(self, text: str, width: float, indent: float = 0.0,
                    justify: bool = True) -> list[Line]:
        """The paragraph's lines; linear in its length."""
        text = self.clean(text)
        w = self._width
        lines: list[Line] = []
        cur: list[tuple[str, float, float]] = []  # token, width, width its marks can give
        cur_w = cur_sq = 0.0
        first_indent = indent
        avail = width - first_indent
        pending = [(tok, sum(w[ch] for ch in tok)) for tok in self.tokens(text)]
        pending.reverse()  # pop() from the end: next token
        while pending:
            tok, tw = pending.pop()
            # only a closing mark is squeezed in (the marks before it giving up half their
            # width): an ordinary character never makes a line longer than the grid's 28
            sq = self._squeeze(tok)
            room = cur_w + tw - cur_sq - sq if tok[:1] in CANNOT_START else cur_w + tw
            if room <= avail + 0.01:
                if not cur and tok == " ":
                    continue  # no space at a line start
                cur.append((tok, tw, sq))
                cur_w += tw
                cur_sq += sq
                continue
            if len(tok) > 1 and tw > width + 0.01:
                # a word longer than a line: in pieces, the first filling this line
                pending += reversed(self._split(tok, avail - cur_w, width))
                continue
            if not cur:
                cur.append((tok, tw, sq))  # wider than a line on its own (one huge glyph)
                cur_w += tw
                cur_sq += sq
                continue
            pending.append((tok, tw))
            # 禁则: the next line may not start with closing punctuation,
            # this line may not end with opening punctuation
            pulled = 0
            while (len(cur) > 1 and pulled < _MAX_PULL and pending and
                   (pending[-1][0][:1] in CANNOT_START or cur[-1][0][-1:] in CANNOT_END)):
                back = cur.pop()
                cur_w -= back[1]
                cur_sq -= back[2]
                pending.append(back[:2])
                pulled += 1
            while cur and cur[-1][0] == " ":
                cur.pop()
            lines.append(self.line("".join(t for t, _, _ in cur), first_indent, justify, avail))
            cur, cur_w, cur_sq = [], 0.0, 0.0
            first_indent = 0.0
            avail = width
        line = "".join(t for t, _, _ in cur).rstrip(" ")
        if line or not lines:
            lines.append(self.line(line, first_indent, False, avail))
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
        moved, rest = prev.text[-1], prev.text[:-1].rstrip(" ")
        if not rest:
            return
        if moved in CANNOT_START or rest[-1] in CANNOT_END or moved.isascii() \
                or body.isascii():
            return
        text = moved + last.text
        after = self.line(text, last.indent, False, width - last.indent)
        if after.width > width - last.indent + 0.01:
            return  # the companion would push the line past the edge
        lines[-2] = self.line(rest, prev.indent, True, width - prev.indent)
        lines[-1] = after

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
            space = min((room - line.width) / (len(text) - 1), MAX_STRETCH * self.size)
        own = obj is None
        if own:
            obj = canvas.beginText(x, y)
        else:
            obj.setTextOrigin(x, y)
        if space or getattr(obj, "_charSpace", 0):
            obj.setCharSpace(space)
        if not line.halved and self._foreign.isdisjoint(text):
            obj.setFont(self.font, self.size)
            obj.textOut(text)
        else:
            # runs of one face, a halved mark ending its run: each run is placed where the
            # widths before it (less the halves given up) and the spacing put it
            halved = set(line.halved)
            start, at = 0, x
            face = self.face(text[0])
            for i in range(1, len(text) + 1):
                nxt = self.face(text[i]) if i < len(text) else None
                if nxt != face or i - 1 in halved:
                    run = text[start:i]
                    if start:
                        obj.setTextOrigin(at, y)
                    obj.setFont(face, self.size)
                    obj.textOut(run)
                    at += self.width(run) + space * len(run)
                    if i - 1 in halved:
                        at -= self._half[text[i - 1]]
                    start, face = i, nxt or face
        if own:
            canvas.drawText(obj)


def _ink_in_left_half(font_name: str, ch: str) -> bool:
    """Whether the glyph's ink ends by the middle of its advance (。，in 宋体/仿宋/楷体; some
    faces centre ：；, which then keep their full width)."""
    import struct

    from reportlab.pdfbase import pdfmetrics

    try:
        face = pdfmetrics.getFont(font_name).face
        gid = face.charToGlyph[ord(ch)]
        start = face.table["glyf"]["offset"] + face.glyphPos[gid]
        x_max = struct.unpack(">hhhhh", face._ttf_data[start:start + 10])[3]
        advance = face.hmetrics[gid][0] if hasattr(face, "hmetrics") else face.unitsPerEm
        return bool(x_max <= 0.55 * advance)
    except (KeyError, IndexError, AttributeError, TypeError, struct.error):
        return False
