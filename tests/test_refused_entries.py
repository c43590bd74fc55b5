"""Refused entries in the evaluation: saved, carried in packages within the same limits
on both sides, errors naming the field and the text, and the report a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.numbers import echo
from forms.model import MAX_REFUSED, MAX_REFUSED_PATH, MAX_REFUSED_TEXT, next_year
from forms.package import PackageError, package_to_dict, read_package, write_package
from forms.report.build import draft_reasons
from forms.scoring import score
from forms.storage import Library
from forms.validation import ERROR, validate

SAMPLE = read_package((Path(__file__).resolve().parents[1] / "forms" / "samples"
                       / "suigang-2022.json").read_bytes())
EXAMPLES = 200


def test_a_refused_entry_is_an_error_naming_field_and_text_and_makes_a_draft(sample):
    ev = sample.with_refused("budget.total.executed", "12x")
    ev = ev.with_refused("projects[0].budget", "一百万")
    ev = ev.with_refused("values.fdi.actual", "9o")
    found = {i.path: i for i in validate(ev) if i.level == ERROR}
    assert found["budget.total.executed"].message == (
        "合计 › 全年执行数：“12x”不是数字（未采用，请改正）")
    assert found["projects[0].budget"].message.startswith(
        f"{sample.projects[0].name} › 预算数：“一百万”")
    assert found["values.fdi.actual"].message.startswith("实际利用外资 › 实际完成值：“9o”")
    assert found["values.fdi.actual"].section == "values"
    assert not draft_reasons(sample, score(sample))  # the sample itself is final
    assert draft_reasons(ev, score(ev)) == ["有 3 处错误"]


def test_blank_text_or_a_value_removes_the_entry(sample):
    ev = sample.with_refused("budget.carryover", "x")
    assert ev.refused == {"budget.carryover": "x"}
    assert ev.with_refused("budget.carryover", "  ").refused == {}
    assert ev.with_refused("budget.carryover", None).refused == {}
    assert sample.with_refused("budget.carryover", None) is sample
    long = sample.with_refused("budget.carryover", "九" * (MAX_REFUSED_TEXT * 3))
    assert long.refused["budget.carryover"] == "九" * MAX_REFUSED_TEXT  # what the reader takes
    assert read_package(write_package(long)) == long


def test_package_and_library_keep_refused_entries(sample, tmp_path):
    ev = sample.with_refused("budget.total.executed", "12x").with_refused(
        "values.fdi.actual", "  9 o ")
    data = write_package(ev)
    assert package_to_dict(ev)["refused"] == {"budget.total.executed": "12x",
                                              "values.fdi.actual": "  9 o "}
    assert read_package(data) == ev
    assert "refused" not in package_to_dict(sample)  # unchanged packages for the others
    library = Library(tmp_path / "db.sqlite")
    new_id = library.add(ev)
    assert library.get(new_id).refused == ev.refused
    library.close()


def test_next_year_does_not_carry_refused_figures(sample):
    ev = sample.with_refused("budget.total.executed", "12x")
    assert next_year(ev).refused == {}


@pytest.mark.parametrize(("refused", "where"), [
    ({"budget.total.executed": "x" * (MAX_REFUSED_TEXT + 1)}, "refused.budget.total.executed"),
    ({"p" * (MAX_REFUSED_PATH + 1): "x"}, "refused." + "p" * (MAX_REFUSED_PATH + 1)),
    ({"budget.total.executed": 12}, "refused.budget.total.executed"),
    ([], "refused"),
])
def test_the_reader_refuses_what_the_writer_never_writes(sample, refused, where):
    data = package_to_dict(sample)
    data["refused"] = refused
    from forms.package import package_from_dict

    with pytest.raises(PackageError) as caught:
        package_from_dict(data)
    assert caught.value.path == echo(where, 200)  # a hostile key is named, but not in full


def test_the_reader_takes_as_many_entries_as_the_writer_keeps(sample):
    ev = sample
    for i in range(MAX_REFUSED + 3):  # beyond the limit, new entries are not kept
        ev = ev.with_refused(f"projects[{i}].budget", "x")
    assert len(ev.refused) == MAX_REFUSED
    assert read_package(write_package(ev)).refused == ev.refused
    data = package_to_dict(ev)
    data["refused"][f"projects[{MAX_REFUSED}].budget"] = "x"
    from forms.package import package_from_dict

    with pytest.raises(PackageError):
        package_from_dict(data)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=MAX_REFUSED_TEXT + 40)
_PATH = st.one_of(
    st.sampled_from(["budget.total.executed", "budget.by_source.general.adjusted",
                     "budget.carryover", "values.fdi.actual", "values.fdi.weight"]),
    st.builds(lambda i, k: f"projects[{i}].{k}", st.integers(0, 500),
              st.sampled_from(["budget", "executed"])),
    st.text(max_size=MAX_REFUSED_PATH + 20, alphabet=st.characters(blacklist_categories=("Cs",))),
)


def test_whatever_the_clerk_types_the_package_round_trips():
    counts = {"cases": 0, "kept": 0}

    @settings(max_examples=cases(EXAMPLES), deadline=None, database=None)
    @given(entries=st.lists(st.tuples(_PATH, _TEXT), max_size=12))
    def case(entries):
        ev = SAMPLE
        for path, text in entries:
            ev = ev.with_refused(path, text)
        back = read_package(write_package(ev))
        assert back == ev and back.refused == ev.refused
        assert all(len(t) <= MAX_REFUSED_TEXT and t.strip() for t in back.refused.values())
        messages = [i.message for i in validate(back) if i.path in back.refused]
        assert all("未采用" in m for m in messages)
        counts["cases"] += 1
        counts["kept"] += len(back.refused)

    case()
    print(f"refused entries: {counts}")  # it did run, and did reach the limits
    assert counts["cases"] >= min(cases(EXAMPLES), 50)
    assert counts["kept"] > 0
