"""报送包: one zip with everything a department hands in.

- the PDF report, the Word copy and our workbook (and the bureau's template, filled,
  where the clerk has one), named as the exports name them;
- the package itself (``评价包.json``), so the bureau can score it again;
- the 佐证材料, one folder per indicator named like the budget systems name theirs
  ("01 预算执行率/…"), then 收支情况 and 绩效目标;
- ``清单.txt``: the evaluation (unit, year, score, grade, revision, draft or final)
  and every file with its size and SHA-256, so a reviewer can tell that nothing was
  added, lost or changed on the way (``check_pack``).

Names inside the zip are stored as UTF-8 (zipfile sets the flag), so Windows'
Explorer shows them right.  Already-compressed evidence (PDF, JPEG, Office files) is
stored, not deflated again.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from forms.evidence import EvidenceRef, EvidenceStore, leaf_owner, safe_name
from forms.model import Evaluation
from forms.package import write_package
from forms.report.build import draft_reasons
from forms.scoring import ScoreResult, score

MANIFEST = "清单.txt"
PACKAGE_NAME = "评价包.json"
EVIDENCE_FOLDER = "佐证材料"
MANIFEST_HEAD = "selfeval 报送包清单"
_STORED = {".pdf", ".jpg", ".jpeg", ".png", ".zip", ".docx", ".xlsx", ".pptx", ".rar", ".7z",
           ".gif", ".ofd", ".mp4"}
_LINE = re.compile(r"^([0-9a-f]{64})  (\d+)  (.+)$")


@dataclass(frozen=True)
class PackFile:
    path: str  # inside the zip
    data: bytes | None = None  # in memory, or …
    ref: EvidenceRef | None = None  # … from the evidence store


def evidence_folders(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(owner, folder name) for every owner with files: indicators in the system's order,
    numbered 01, 02 … like the systems' exports, then the budget and the goals."""
    out: list[tuple[str, str]] = []
    for number, leaf in enumerate(evaluation.system.leaves(), 1):
        owner = leaf_owner(leaf.id)
        if evaluation.evidence.get(owner):
            out.append((owner, f"{number:02d} {safe_name(leaf.name)}"))
    for owner, name in (("budget", "收支情况"), ("goals", "绩效目标")):
        if evaluation.evidence.get(owner):
            out.append((owner, name))
    return out


def pack_name(evaluation: Evaluation, draft: bool) -> str:
    dept = safe_name(evaluation.department.name.strip() or "未命名单位")
    return f"{evaluation.department.year}年度{dept}自评报送包{'（草稿）' if draft else ''}.zip"


def _unique(path: str, taken: set[str]) -> str:
    if path not in taken:
        taken.add(path)
        return path
    p = PurePosixPath(path)
    n = 2
    while (candidate := str(p.with_name(f"{p.stem}（{n}）{p.suffix}"))) in taken:
        n += 1
    taken.add(candidate)
    return candidate


def build_pack(evaluation: Evaluation, store: EvidenceStore, *, pdf: bytes, docx: bytes,
               workbook: bytes, names: tuple[str, str, str], filled_template: bytes | None = None,
               template_name: str = "", revision: int | None = None,
               result: ScoreResult | None = None,
               cancelled: Callable[[], bool] = lambda: False) -> bytes:
    """The zip's bytes. ``names``: the file names of the PDF, the Word copy and the workbook."""
    result = result or score(evaluation)
    draft = bool(draft_reasons(evaluation, result))
    package = write_package(evaluation)
    files = [PackFile(names[0], pdf), PackFile(names[1], docx), PackFile(names[2], workbook)]
    if filled_template is not None:
        files.append(PackFile(safe_name(template_name or "财政局模板（已填写）.xlsx"),
                              filled_template))
    files.append(PackFile(PACKAGE_NAME, package))
    taken = {f.path for f in files}
    missing: list[str] = []
    for owner, folder in evidence_folders(evaluation):
        for ref in evaluation.evidence[owner]:
            if not store.has(ref):
                missing.append(f"{folder}/{ref.name}")
                continue
            files.append(PackFile(_unique(f"{EVIDENCE_FOLDER}/{folder}/{ref.name}", taken),
                                  ref=ref))
    if missing:
        raise FileNotFoundError("、".join(missing[:5]) + (" 等" if len(missing) > 5 else ""))
    out = BytesIO()
    lines: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for f in files:
            if cancelled():
                from .cancel import ExportCancelled

                raise ExportCancelled()
            compress = (zipfile.ZIP_STORED if PurePosixPath(f.path).suffix.lower() in _STORED
                        else zipfile.ZIP_DEFLATED)
            if f.data is not None:
                zf.writestr(f.path, f.data, compress_type=compress)
                lines.append(f"{hashlib.sha256(f.data).hexdigest()}  {len(f.data)}  {f.path}")
            else:
                assert f.ref is not None
                zf.write(store.path_of(f.ref), f.path, compress_type=compress)
                lines.append(f"{f.ref.sha256}  {f.ref.size}  {f.path}")
        dept = evaluation.department
        head = [MANIFEST_HEAD,
                f"单位：{dept.name}",
                f"年度：{dept.year}",
                f"自评得分：{result.total} 分（{result.grade}）",
                f"状态：{'草稿（' + '；'.join(draft_reasons(evaluation, result)) + '）' if draft else '正式'}",
                f"评价包 SHA-256：{hashlib.sha256(package).hexdigest()}"]
        if revision is not None:
            head.append(f"库中修订号：{revision}")
        head += ["", f"文件（{len(lines)} 个）：SHA-256  字节数  路径", *lines, ""]
        zf.writestr(MANIFEST, "\r\n".join(head).encode("utf-8"))
    return out.getvalue()


# ---------------------------------------------------------------- checking a pack (the bureau)

@dataclass(frozen=True)
class PackCheck:
    listed: int
    missing: tuple[str, ...]  # listed, not in the zip
    changed: tuple[str, ...]  # in the zip with other bytes than listed
    extra: tuple[str, ...]  # in the zip, not listed
    department: str = ""
    year: str = ""
    score: str = ""

    @property
    def intact(self) -> bool:
        return not (self.missing or self.changed or self.extra)

    def problems(self) -> list[str]:
        out = []
        out += [f"清单中的文件缺失：{p}" for p in self.missing]
        out += [f"文件与清单不符（内容被改动）：{p}" for p in self.changed]
        out += [f"清单之外多出的文件：{p}" for p in self.extra]
        return out


class NotAPack(ValueError):
    """A zip that is not one of our packs; ``str()`` says why."""


MAX_MEMBER = 512 * 1024 * 1024


def check_pack(zf: zipfile.ZipFile) -> PackCheck:
    """The manifest against the files: missing, changed and extra."""
    try:
        raw = zf.read(MANIFEST)
    except KeyError:
        raise NotAPack("压缩包中没有清单.txt，不是本程序生成的报送包") from None
    text = raw.decode("utf-8", "replace")
    lines = text.splitlines()
    if not lines or lines[0].strip() != MANIFEST_HEAD:
        raise NotAPack("清单.txt 不是本程序写的报送包清单")
    info: dict[str, str] = {}
    listed: dict[str, tuple[str, int]] = {}
    for line in lines[1:]:
        match = _LINE.match(line)
        if match:
            listed[match.group(3)] = (match.group(1), int(match.group(2)))
        elif "：" in line:
            key, _, value = line.partition("：")
            info.setdefault(key, value)
    present = {i.filename: i for i in zf.infolist() if not i.is_dir() and i.filename != MANIFEST}
    missing, changed = [], []
    for path, (sha, size) in listed.items():
        member = present.get(path)
        if member is None:
            missing.append(path)
            continue
        if member.file_size != size or size > MAX_MEMBER:
            changed.append(path)
            continue
        digest = hashlib.sha256()
        with zf.open(member) as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            changed.append(path)
    extra = sorted(set(present) - set(listed))
    return PackCheck(len(listed), tuple(missing), tuple(changed), tuple(extra),
                     info.get("单位", ""), info.get("年度", ""), info.get("自评得分", ""))


def pack_members(names: Sequence[str]) -> dict[str, str]:
    """The pack's own parts among the names of a zip: "package", "workbook" → name."""
    out: dict[str, str] = {}
    for name in names:
        if name == PACKAGE_NAME:
            out["package"] = name
        elif "/" not in name and name.endswith(".xlsx") and "自评表" in name:
            out.setdefault("workbook", name)
    return out
