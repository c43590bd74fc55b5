"""Fuzzing the four doors: packages (score), systems (system-check), workbooks (import)
and indicator tables (system-import).

Every generated input goes through the real command in this process: it must give
exit 0 or 2 — on refusal exactly one line — raise nothing, and finish within 5 s.
Cases per target: the defaults below, scaled by ``tests/fuzz_budget.py``; the counts are
printed (``pytest -s``).
"""

from __future__ import annotations

import copy
import gc
import io
import json
import re
import resource
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Callable

from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.cli import main
from exports.excel import workbook_bytes
from forms.catalog import sample_package_bytes
from forms.package import read_package

SECONDS = 5.0
SYSTEM_FILE = Path(__file__).resolve().parent.parent / "forms" / "systems" / "national-common.json"

hostile_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.sampled_from(["1e26", "1E+999999999", "-0", "NaN", "Infinity", "9" * 45, "0.0000001",
                     "１２３", "1,234.5", "=1+1", "", " ", "\u0000", "\ud7ff", "ratio", "bands",
                     "manual", "either", "budget", "执行率", "100%", "12万元"]),
    st.text(max_size=30),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6),
)
hostile_values = st.recursive(hostile_scalars, lambda inner: st.lists(inner, max_size=3)
                              | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                              max_leaves=6)
# raw JSON number texts the parser must refuse before converting
raw_numbers = st.sampled_from(["1E+999999999", "1e-999999999", "9" * 5000, "-" + "9" * 400,
                               "1.5e308", "123456789012345678901234567890.5", "0.00000000001"])


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, here + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, here + (i,))
    return out


def _mutate(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


class Tally:
    """Outcomes of one target, checked per case and printed at the end."""

    def __init__(self, name: str, *, problem_lists: bool = False):
        self.name = name
        self.problem_lists = problem_lists  # a check that lists problems, one a line
        self.codes: dict[int, int] = {}
        self.slowest = 0.0

    def run(self, args: list[str], capsys: Any) -> None:
        started = time.perf_counter()
        try:
            code = main(args)  # an exception here fails the test: no traceback may reach a clerk
        finally:
            gc.enable()  # main() turns collection off for a short-lived command
        seconds = time.perf_counter() - started
        err = capsys.readouterr().err
        assert code in (0, 2), (args, code, err)
        assert not re.search(r"Traceback|Error\b|Errno|\bat 0x|\bis not\b", err), err
        if code == 2 and not (self.problem_lists and "处问题" in err):
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("selfeval："), err
        assert seconds < SECONDS, (args, seconds)
        self.codes[code] = self.codes.get(code, 0) + 1
        self.slowest = max(self.slowest, seconds)

    def report(self) -> None:
        total = sum(self.codes.values())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nfuzz {self.name}: {total} cases, exit 0 × {self.codes.get(0, 0)}, "
              f"exit 2 × {self.codes.get(2, 0)}, slowest {self.slowest:.2f} s, "
              f"peak memory of the test process {peak:.0f} MB")
        assert total > 0


def _settings(default: int) -> Callable[[Any], Any]:
    return settings(max_examples=cases(default), deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def test_fuzz_packages(tmp_path, capsys):
    base = json.loads(sample_package_bytes(), parse_float=Decimal)
    paths = _paths(base)
    tally = Tally("packages (score)")
    target = tmp_path / "p.json"

    @_settings(300)
    @given(changes=st.lists(st.tuples(st.sampled_from(paths), hostile_values, st.booleans()),
                            min_size=1, max_size=4),
           number=st.none() | raw_numbers)
    def case(changes, number):
        data = copy.deepcopy(base)
        for path, value, delete in changes:
            try:
                data = _mutate(data, path, value, delete)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed or replaced the place
        text = _dump(data)
        if number is not None and '"carryover": "' in text:
            text = text.replace('"carryover": "', f'"carryover": {number}, "x": "', 1)
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        tally.run(["score", str(target)], capsys)

    case()
    tally.report()


def test_fuzz_systems(tmp_path, capsys):
    base = json.loads(SYSTEM_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    paths = _paths(base)
    tally = Tally("systems (system-check)", problem_lists=True)
    target = tmp_path / "s.json"

    @_settings(300)
    @given(changes=st.lists(st.tuples(st.sampled_from(paths), hostile_values, st.booleans()),
                            min_size=1, max_size=4))
    def case(changes):
        data = copy.deepcopy(base)
        for path, value, delete in changes:
            try:
                data = _mutate(data, path, value, delete)
            except (KeyError, IndexError, TypeError):
                continue
        target.write_text(_dump(data), encoding="utf-8", errors="surrogatepass")
        tally.run(["system-check", str(target)], capsys)

    case()
    tally.report()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    return out.getvalue()


cell_texts = st.one_of(hostile_scalars.map(lambda v: "" if v is None else str(v)),
                       st.floats(allow_nan=False).map(repr), st.integers(-10**20, 10**20).map(str),
                       st.sampled_from(["<f>1/0</f>", "", "1E+308", "-1E+308", "NaN"]))


def test_fuzz_workbooks_for_import(tmp_path, capsys):
    base = workbook_bytes(read_package(sample_package_bytes()))
    tally = Tally("workbooks (import)")
    source, out = tmp_path / "w.xlsx", tmp_path / "w.json"

    @_settings(120)
    @given(edits=st.lists(st.tuples(st.integers(0, 400), cell_texts, st.booleans()),
                          min_size=1, max_size=6),
           cut=st.none() | st.integers(0, 4000), hit_data=st.booleans())
    def case(edits, cut, hit_data):
        def change(name: str, body: bytes) -> bytes:
            # the visible sheets (where a clerk types), and now and then the hidden data sheet
            if not name.startswith("xl/worksheets/") or (name.endswith("5.xml") and not hit_data):
                return body
            values = list(re.finditer(rb"<v>[^<]*</v>", body))
            for index, text, formula in edits:
                if not values:
                    break
                match = values[index % len(values)]
                new = text.encode("utf-8", "surrogatepass")
                new = re.sub(rb"[<>&\x00-\x08\x0b\x0c\x0e-\x1f]", b"", new)
                piece = (b"<f>" + new + b"</f>") if formula else (b"<v>" + new + b"</v>")
                body = body[:match.start()] + piece + body[match.end():]
                values = list(re.finditer(rb"<v>[^<]*</v>", body))
            return body

        data = _rezip(base, change)
        if cut is not None:
            data = data[:cut] + data[cut + 7:]  # a damaged byte range
        source.write_bytes(data)
        out.unlink(missing_ok=True)
        tally.run(["import", str(source), "-o", str(out)], capsys)

    case()
    tally.report()


def test_fuzz_tables_for_system_import(tmp_path, capsys):
    tally = Tally("indicator tables (system-import)")
    source, out = tmp_path / "t.xlsx", tmp_path / "t.json"
    headers = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "指标值", "备注", ""]
    cells = st.one_of(cell_texts, st.sampled_from(headers), st.integers(-100, 10**13),
                      st.floats(allow_nan=True, allow_infinity=True))

    @_settings(120)
    @given(rows=st.lists(st.lists(cells, max_size=8), max_size=25),
           header=st.permutations(headers[:6]), merges=st.lists(
               st.tuples(st.integers(1, 30), st.integers(1, 8), st.integers(0, 40),
                         st.integers(0, 6)), max_size=3))
    def case(rows, header, merges):
        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for row in rows:
            ws.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v) if isinstance(v, str) else v
                       for v in row])
        for r, c, dr, dc in merges:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
        buffer = io.BytesIO()
        wb.save(buffer)
        source.write_bytes(buffer.getvalue())
        out.unlink(missing_ok=True)
        tally.run(["system-import", str(source), "-o", str(out)], capsys)

    case()
    tally.report()
