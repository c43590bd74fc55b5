"""The review reads each workbook once, and what it finds in the sample folder stays put.

A submission's workbook is opened by openpyxl once: the evaluation (as 导入Excel reads it),
the cells and package exported with it and the visible form's rows all come from that one
reading.  The findings on the sample folder (tests/review_folder.py) are compared with
``data/review_folder_findings.json``, written by the reader that opened each workbook twice;
after a deliberate change of a finding, rewrite it with
``python tests/test_review_read_once.py`` and read the difference before committing it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from review_folder import build_folder

from exports.review_read import read_submission, review_paths
from forms.catalog import resolve_system
from forms.review import Rejected, Submission, review_json

GOLDEN = Path(__file__).resolve().parent / "data" / "review_folder_findings.json"
REFERENCE = "guangzhou-example"
OURS = ("clean", "edited", "problem", "other")  # the folder's exported workbooks


def _submission(sub: Submission) -> dict[str, Any]:
    stated = sub.stated
    return {
        "stated": None if stated is None else {
            "total": None if stated.total is None else str(stated.total),
            "grade": stated.grade,
            "place": stated.place,
            "leaf_scores": {k: None if v is None else str(v)
                            for k, v in stated.leaf_scores.items()},
            "leaf_places": dict(stated.leaf_places),
        },
        "edited": [[e.place, e.label, e.exported, e.visible, e.path] for e in sub.edited],
        "places": dict(sub.places),
    }


def findings(root: Path) -> dict[str, Any]:
    """The review of the folder (as ``--json`` gives it) and what each workbook states
    beside its data, with paths relative to the folder."""
    review = review_paths([root], resolve_system(REFERENCE), workers=1)
    text = json.dumps(review_json(review), ensure_ascii=False)
    prefix = json.dumps(str(root) + "/", ensure_ascii=False)[1:-1]
    out: dict[str, Any] = {"review": json.loads(text.replace(prefix, ""))}
    out["submissions"] = {
        str(row.submission.path)[len(str(root)) + 1:]: _submission(row.submission)
        for row in review.rows
    }
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("submissions")
    return root, build_folder(root)


def test_each_submission_is_opened_by_openpyxl_once(folder, monkeypatch):
    _, files = folder
    opened: list[object] = []
    real = openpyxl.load_workbook

    def counting(*args: Any, **kwargs: Any) -> Any:
        opened.append(args[0] if args else kwargs.get("filename"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    for name, path in files.items():
        opened.clear()
        found = read_submission(path)
        if name in OURS:
            assert isinstance(found, Submission), (name, found)
            assert found.stated is not None and found.places, name
            assert len(opened) == 1, (name, len(opened))
        else:
            assert len(opened) <= 1, (name, len(opened))
    edited = read_submission(files["edited"])
    assert isinstance(edited, Submission) and edited.stated is not None
    assert edited.stated.total == 95  # typed over the total: stated, not data
    assert [(e.path, e.exported, e.visible) for e in edited.edited] == \
        [("budget.total.executed", "11894.15", "13000")]
    assert isinstance(read_submission(files["foreign"]), Rejected)


def test_the_findings_on_the_sample_folder_are_unchanged(folder):
    root, _ = folder
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = findings(root)
    assert found["review"] == expected["review"]
    assert sorted(found["submissions"]) == sorted(expected["submissions"])
    for name, sub in expected["submissions"].items():
        assert found["submissions"][name] == sub, name


if __name__ == "__main__":  # rewrite the golden file from the reader as it now is
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as tmp:
        build_folder(Path(tmp))
        GOLDEN.write_text(json.dumps(findings(Path(tmp)), ensure_ascii=False, indent=1,
                                     sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
