"""报送包: everything handed in, in one zip with a manifest the bureau checks; 佐证材料 kept
once per content in the data folder."""

from __future__ import annotations

import os
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.commands.pack import build, draft_name
from exports.pack import MANIFEST, check_pack
from exports.review_read import read_submission, review_one
from forms.evidence import EvidenceError, EvidenceStore, leaf_owner, read_refs
from forms.package import PackageError, load_package, read_package, write_package
from forms.paths import user_evidence_dir
from forms.review import PACK
from forms.validation import validate

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "samples" / "suigang-2022.json"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    return tmp_path


def _with_files(tmp_path: Path, count: int, size: int):
    """The sample with ``count`` evidence files of ``size`` bytes spread over its indicators."""
    evaluation = load_package(SAMPLE)
    store = EvidenceStore(user_evidence_dir())
    leaves = evaluation.system.leaves()
    by_owner: dict[str, list] = {}
    for i in range(count):
        source = tmp_path / f"佐证{i:02d} 会议纪要.pdf"
        source.write_bytes(os.urandom(size))
        owner = leaf_owner(leaves[i % len(leaves)].id) if i % 5 else "budget"
        by_owner.setdefault(owner, []).append(store.add(source, "2026-12-07T10:00:00"))
    for owner, refs in by_owner.items():
        evaluation = evaluation.with_evidence(owner, tuple(refs))
    return evaluation, store


def test_evidence_is_stored_once_per_content_and_survives_the_package(home):
    store = EvidenceStore(user_evidence_dir())
    a, b = home / "a.pdf", home / "b.pdf"
    a.write_bytes(b"minutes" * 1000)
    b.write_bytes(b"minutes" * 1000)
    ra, rb = store.add(a), store.add(b)
    assert ra.sha256 == rb.sha256 and store.verify(ra)
    assert len(list((user_evidence_dir()).rglob("*"))) == 2  # one folder, one file
    evaluation = load_package(SAMPLE).with_evidence(leaf_owner("exec_rate"), (ra, rb))
    again = read_package(write_package(evaluation))
    assert again.evidence == evaluation.evidence
    with pytest.raises(EvidenceError, match="不是普通文件"):
        store.add(home)
    with pytest.raises(EvidenceError, match="不存在"):
        store.add(home / "nosuch.pdf")


@pytest.mark.parametrize("raw", [
    [1, 2], {"values.x": "a"}, {"elsewhere": []}, {"budget": [{"name": "a", "sha256": "z",
                                                               "size": 1}]},
    {"budget": [{"name": "a", "sha256": "0" * 64, "size": -1}]},
    {"budget": [{"name": "a", "sha256": "0" * 64, "size": True}]},
])
def test_a_malformed_evidence_list_is_refused_with_its_place(raw):
    text = write_package(load_package(SAMPLE)).decode("utf-8")
    bad = text.rstrip().rstrip("}") + ',"evidence":' + __import__("json").dumps(raw) + "}"
    with pytest.raises(PackageError) as caught:
        read_package(bad)
    assert caught.value.path == "evidence" and caught.value.message
    with pytest.raises(ValueError):
        read_refs(raw)


def test_criteria_that_ask_for_evidence_warn_until_a_file_is_attached(home):
    evaluation = load_package(SAMPLE)
    leaf = evaluation.system.leaves()[0]
    system = evaluation.system
    asked = replace(leaf, criteria="以统计部门数据为准，提供佐证材料。")
    from forms.system import Group

    def swap(nodes):
        return tuple(asked if getattr(n, "id", None) == leaf.id else
                     replace(n, children=swap(n.children)) if isinstance(n, Group) else n
                     for n in nodes)

    evaluation = evaluation.with_system(replace(system, indicators=swap(system.indicators)))
    warned = [i for i in validate(evaluation) if i.path == f"values.{leaf.id}.evidence"]
    assert warned and "佐证材料" in warned[0].message
    source = home / "统计.pdf"
    source.write_bytes(b"%PDF-1.4 data")
    ref = EvidenceStore(user_evidence_dir()).add(source)
    evaluation = evaluation.with_evidence(leaf_owner(leaf.id), (ref,))
    assert not [i for i in validate(evaluation) if i.path == f"values.{leaf.id}.evidence"]


@pytest.mark.slow
def test_a_pack_of_twenty_5mb_files_builds_fast_and_review_verifies_it(home, capsys):
    evaluation, _store = _with_files(home, 20, 5 * 1024 * 1024)
    start = time.perf_counter()
    data, _draft = build(evaluation)
    seconds = time.perf_counter() - start
    target = home / "报送.zip"
    target.write_bytes(data)
    print(f"\npack of 20 × 5 MB evidence: {seconds:.2f} s, {len(data) / 2**20:.1f} MB")
    assert seconds < 5
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert all(i.flag_bits & 0x800 for i in zf.infolist() if not i.filename.isascii())
        check = check_pack(zf)
    assert check.intact and check.listed == len(names) - 1
    leaf_names = [leaf.name for leaf in evaluation.system.leaves()]
    assert any(n.startswith(f"佐证材料/02 {leaf_names[1]}/") for n in names)
    assert any(n.startswith("佐证材料/收支情况/") for n in names)
    assert sum(n.startswith("佐证材料/") for n in names) == 20
    row = review_one(str(target), None)
    assert not [f for f in row.flags if f.kind == PACK]
    assert str(row.result.total) == "92.58"


def _rewrite(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
        extra = change("", b"")
        if extra:
            zout.writestr("佐证材料/后来加的.txt", extra)


def test_review_names_a_missing_a_changed_and_an_extra_file(home):
    evaluation, _ = _with_files(home, 3, 2048)
    data, _ = build(evaluation)
    good = home / "good.zip"
    good.write_bytes(data)
    with zipfile.ZipFile(good) as zf:
        evidence = sorted(n for n in zf.namelist() if n.startswith("佐证材料/"))
    first, second = evidence[0], evidence[1]

    def change(name: str, content: bytes):
        if name == first:
            return None  # lost
        if name == second:
            return content[:-1] + (b"?" if content.endswith(b"!") else b"!")  # changed
        if name == "":
            return b"not in the manifest"
        return content

    bad = home / "bad.zip"
    _rewrite(good, bad, change)
    row = review_one(str(bad), None)
    texts = [f.message for f in row.flags if f.kind == PACK]
    assert any("缺失" in t and first in t for t in texts)
    assert any("改动" in t and second in t for t in texts)
    assert any("多出" in t and "后来加的.txt" in t for t in texts)
    not_ours = home / "other.zip"
    with zipfile.ZipFile(not_ours, "w") as zf:
        zf.writestr("a.txt", "x")
    assert "清单" in read_submission(not_ours).reason
    damaged = home / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\0" * 50)
    assert "损坏" in read_submission(damaged).reason


def test_cli_pack_names_a_draft_as_such_and_never_writes_over_its_input(home, capsys):
    out = home / "报送.zip"
    assert main(["pack", str(SAMPLE), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        manifest = zf.read(MANIFEST).decode("utf-8")
    assert "自评得分：92.58 分（优）" in manifest and "状态：正式" in manifest
    draft = home / "draft.json"
    evaluation = load_package(SAMPLE)
    evaluation = evaluation.with_value("fdi", replace(evaluation.value("fdi"), actual=None))
    draft.write_bytes(write_package(evaluation))
    assert main(["pack", str(draft), "-o", str(home / "d.zip")]) == 0
    assert (home / "d（草稿）.zip").is_file() and not (home / "d.zip").exists()
    assert draft_name("x/报送草稿.zip") == "x/报送草稿.zip"
    capsys.readouterr()
    assert main(["pack", str(SAMPLE), "-o", str(SAMPLE)]) == 2
    assert "覆盖" in capsys.readouterr().err
    assert load_package(SAMPLE).department.year == 2022
