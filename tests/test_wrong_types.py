"""Every field of a package and of a system file, given a value of the wrong JSON type (a
list where a word is expected, an object where a number is), is refused or reported with
its path in one line: never a TypeError, KeyError or AttributeError traceback."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from fuzz_budget import cases
from hostile_corpus import READ_FIELDS, json_paths, replaced, wrong_json_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from forms.package import PackageError, read_package
from forms.scoring import score
from forms.system import build_system
from forms.system_edit import SystemDraft
from forms.validation import validate

PACKAGE = json.loads(SAMPLE.read_text(encoding="utf-8"))
PACKAGE_PATHS = json_paths(PACKAGE, absent=READ_FIELDS)
SYSTEM = PACKAGE["system"]
SYSTEM_PATHS = json_paths(SYSTEM, absent=READ_FIELDS)
WRONG = wrong_json_values()
PROPERTY = settings(max_examples=cases(300), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@PROPERTY
@given(st.sampled_from(PACKAGE_PATHS), st.sampled_from(sorted(WRONG)))
def test_a_package_with_a_wrong_type_anywhere_is_refused_or_read(path, kind):
    text = _dumps(replaced(PACKAGE, path, WRONG[kind]))
    try:
        evaluation = read_package(text)
    except PackageError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    result = score(evaluation)  # what was read scores and validates
    assert Decimal(0) <= result.total <= Decimal(100)
    validate(evaluation, result)


@PROPERTY
@given(st.sampled_from(SYSTEM_PATHS), st.sampled_from(sorted(WRONG)))
def test_a_system_with_a_wrong_type_anywhere_gives_problems_not_a_crash(path, kind):
    raw = json.loads(_dumps(replaced(SYSTEM, path, WRONG[kind])), parse_float=Decimal)
    system, problems = build_system(raw)
    assert all(p.message and "\n" not in p.message for p in problems)
    if not problems:
        assert system.grade(Decimal("38.58")) in {g for _, g in system.grades} | {"未定级"}
    SystemDraft(json.loads(_dumps(replaced(SYSTEM, path, WRONG[kind])))).check()


@pytest.mark.slow
def test_every_top_level_system_field_with_every_wrong_type():
    """The fields one level down, exhaustively (the property above samples the rest)."""
    for key in {*SYSTEM, *READ_FIELDS}:
        for value in WRONG.values():
            raw = json.loads(_dumps(replaced(SYSTEM, (key,), value)), parse_float=Decimal)
            build_system(raw)
            SystemDraft(json.loads(_dumps(replaced(SYSTEM, (key,), value)))).check()
            try:
                read_package(_dumps(replaced(PACKAGE, ("system", key), value)))
            except PackageError:
                pass


def test_not_applicable_as_a_list_is_one_problem():
    raw = dict(SYSTEM, not_applicable=["zero"])
    _, problems = build_system(raw)
    assert [p.path for p in problems] == ["system.not_applicable"]
    assert "实为列表" in problems[0].message
