import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import case_dicts, damaged_cases, document

from rules.load import ProblemLevel, load_document, load_paths
from rules.model import AssessmentKind, OutcomeGroup


def doc(*cases, **top):
    return {"format": "yos-case-export", "version": 1, "service": {"name": "T"}, "cases": list(cases), **top}


def problems_of(d):
    return load_document(d, "caseload.json")[3]


def test_spec_toml_example_loads(fixtures):
    result = load_paths([fixtures / "one_case.toml"])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.case_id == "C-0001" and case.assessments[0].kind is AssessmentKind.ROSH_SCREENING
    assert case.group is OutcomeGroup.COMMUNITY  # derived from the legal outcome


def test_errors_name_file_case_and_field():
    bad = {"case_id": "C-0099", "start_date": "31/02/2026",
           "assessments": [{"id": "A1", "kind": "CORE", "completed_on": "2026-02-30", "level": "HUGE"}]}
    found = {(p.level, p.file, p.case_id, p.field): p.message for p in problems_of(doc(bad))}
    assert found[(ProblemLevel.ERROR, "caseload.json", "C-0099", "start_date")] == "not a date: '31/02/2026'"
    assert found[(ProblemLevel.ERROR, "caseload.json", "C-0099", "assessments[0].completed_on")] == "not a date: '2026-02-30'"
    assert "unknown code 'HUGE'" in found[(ProblemLevel.ERROR, "caseload.json", "C-0099", "assessments[0].level")]


def test_one_bad_case_never_hides_the_others():
    good = {"case_id": "C-1", "start_date": "2026-01-05"}
    bad = {"case_id": "C-2", "start_date": "2026-01-05", "legal_outcome": "FINE"}
    _, cases, rejected, problems = load_document(doc(good, bad, good | {"case_id": "C-3"}), "f.json")
    assert [c.case_id for c in cases] == ["C-1", "C-3"]
    assert rejected == 1 and [p.case_id for p in problems] == ["C-2"]


def test_unknown_key_is_a_warning_and_the_case_loads():
    _, cases, rejected, problems = load_document(doc({"case_id": "C-1", "start_date": "2026-01-05", "colour": "red",
                                                      "plans": [{"id": "P1", "shade": 1}]}), "f.json")
    assert len(cases) == 1 and rejected == 0
    assert {(p.level, p.field) for p in problems} == {(ProblemLevel.WARNING, "colour"), (ProblemLevel.WARNING, "plans[0].shade")}


def test_no_date_value_reads_as_absent():
    _, cases, _, problems = load_document(doc({"case_id": "C-1", "start_date": "2026-01-05", "closed_on": "1900-01-01"}), "f.json")
    assert problems == [] and cases[0].closed_on is None
    # but a required date given as no-date is an error, not a silent gap
    problems = problems_of(doc({"case_id": "C-1", "start_date": "1900-01-01"}))
    assert [(p.field, p.level) for p in problems] == [("start_date", ProblemLevel.ERROR)]


def test_strict_types():
    problems = problems_of(doc({"case_id": "C-1", "start_date": "2026-01-05", "plans": [{"id": "P1", "child_involved": "yes", "addresses": "RISK_OF_HARM"}]}))
    assert {p.field: p.message for p in problems} == {
        "plans[0].child_involved": "expected true or false, got 'yes'",
        "plans[0].addresses": "expected a list, got 'RISK_OF_HARM'",
    }


def test_missing_required_keys():
    problems = problems_of(doc({"start_date": "2026-01-05"}, {"case_id": "C-2"}))
    assert {(p.case_id, p.field, p.message) for p in problems} == {
        (None, "cases[0].case_id", "required key missing"),
        ("C-2", "start_date", "required key missing"),
    }


def test_duplicates_are_errors():
    a = {"case_id": "C-1", "start_date": "2026-01-05", "assessments": [{"id": "X", "kind": "CORE"}], "plans": [{"id": "X"}]}
    _, cases, rejected, problems = load_document(doc(a, {"case_id": "C-1", "start_date": "2026-01-05"}), "f.json")
    assert rejected == 2 and cases == []
    assert [p.field for p in problems] == ["plans[0].id", "case_id"]


def test_end_before_start_is_an_error():
    problems = problems_of(doc({"case_id": "C-1", "start_date": "2026-01-05", "end_date": "2025-01-05"}))
    assert [(p.field, p.level) for p in problems] == [("end_date", ProblemLevel.ERROR)]


def test_file_level_problems(tmp_path):
    (tmp_path / "trunc.json").write_text('{"format": "yos-case-export", "cases": [')
    (tmp_path / "other.json").write_text('{"format": "something-else"}')
    (tmp_path / "bin.json").write_bytes(b"\x00\xff\xfe\x01")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = load_paths([tmp_path / "trunc.json", tmp_path / "other.json", tmp_path / "bin.json", tmp_path / "missing.json",
                         empty, tmp_path])  # tmp_path: a folder of JSON exports, each read already
    assert len(result.problems) == 5
    messages = [p.message for p in result.problems]
    assert messages[0].startswith("not valid JSON")
    assert messages[1].startswith("not a case export")
    assert messages[2].startswith("not UTF-8")
    assert messages[3] == "no such file"
    assert result.problems[4].file == str(empty)  # a folder with no JSON is read as tables: none here
    assert all(p.level is ProblemLevel.ERROR for p in result.problems)


def test_cases_from_several_files_and_duplicate_ids_across_them(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(doc({"case_id": "C-1", "start_date": "2026-01-05"}, {"case_id": f"C-{name}", "start_date": "2026-01-05"})))
    result = load_paths([tmp_path / "a.json", tmp_path / "b.json"])
    assert [c.case_id for c in result.caseload.cases] == ["C-1", "C-a.json", "C-b.json"]
    assert result.rejected == 1 and result.problems[0].file.endswith("b.json")


def test_loader_never_modifies_input(fixtures, tmp_path):
    path = tmp_path / "copy.toml"
    path.write_bytes((fixtures / "one_case.toml").read_bytes())
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_paths([path])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["2026-01-05", "1900-01-01", "CORE", "HIGH", "REFERRAL_ORDER"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["case_id", "start_date", "assessments", "plans", "id", "kind", "completed_on", "level",
                         "contacts", "date", "outcome", "mappa", "eligible", "child", "victims", "x"]), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(json_values, max_size=4), json_values)
def test_arbitrary_json_gives_problems_never_exceptions(cases, service):
    _, loaded, rejected, problems = load_document(doc(*cases) | {"service": service}, "fuzz.json")
    assert len(loaded) + rejected == len(cases)
    assert all(p.file == "fuzz.json" and p.message for p in problems)


@given(json_values)
def test_arbitrary_top_level_never_raises(value):
    load_document(value, "fuzz.json")


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(case_dicts())
def test_generated_valid_cases_load_without_errors(case):
    _, cases, rejected, problems = load_document(document([case]), "gen.json")
    assert rejected == 0 and not [p for p in problems if p.level is ProblemLevel.ERROR]
    assert cases[0].start_date == dt.date.fromisoformat(case["start_date"])


# -- the fast JSON path (msgspec) against a whole parse ------------------------------------------

from rules.load import jsonread


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(case_dicts(), damaged_cases()), max_size=4), st.sampled_from([None, 0, 2]), st.booleans(),
    st.booleans(), st.booleans(), st.sampled_from([None, "format", "version", "service"]),
)
def test_the_fast_path_loads_what_a_whole_parse_loads(tmp_path_factory, cases, indent, cases_first, extra, ascii, drop):
    doc = document([c | {"case_id": f"C-{i}"} if isinstance(c, dict) else c for i, c in enumerate(cases)])
    doc.pop(drop, None)  # a key of the format left out: read in one pass all the same
    if cases_first:
        doc = {"cases": doc.pop("cases"), **doc}
    if extra:
        doc["trailer"] = {"note": [1, 2, "}"]}
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii)
    path = tmp_path_factory.mktemp("s") / "c.json"
    path.write_text(text, encoding="utf-8")
    fast = load_paths([path])
    whole = load_document(json.loads(text), str(path))
    assert fast.caseload.cases == tuple(whole[1])
    assert list(map(str, fast.problems)) == list(map(str, whole[3]))
    if "NaN" not in text and "Infinity" not in text:  # JSON has no such numbers: only json reads them
        assert jsonread.split(path.read_bytes()) is not None  # the fast path was taken


@pytest.mark.parametrize("tail", [
    ']}  x', '],}', '] "x"}', ', }]}', ']', '], "k" 1}', '], "k": }',
])
def test_syntax_errors_after_the_header_are_file_errors(tmp_path, tail):
    text = '{"format": "yos-case-export", "version": 1, "service": {"name": "x"}, "cases": [{"case_id": "C-1", "start_date": "2026-01-05"}' + tail
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    path = tmp_path / "t.json"
    path.write_text(text)
    result = load_paths([path])
    assert result.caseload.cases == ()  # a file that is not JSON loads nothing, as before
    assert [p.message.startswith("not valid JSON") for p in result.problems] == [True]


def test_progress_is_in_cases(tmp_path):
    doc = document([{"case_id": f"C-{i}", "start_date": "2026-01-05"} for i in range(1200)])
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    seen = []
    load_paths([path], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]


@pytest.mark.parametrize("value, problem", [
    ('"1900-01-01"', None),  # no date: read as absent, as the detailed reader does
    ('"1985-06-01"', "implausible date"),
    ('"2026-02-30"', "not a date"),
    ("123456789012345678901234567890", "not a date: 1234"),  # past 64 bits: still a number, still named
])
def test_what_the_fast_path_leaves_to_the_detailed_reader(tmp_path, value, problem):
    text = ('{"format": "yos-case-export", "version": 1, "service": {"name": "x"}, "cases": ['
            '{"case_id": "C-1", "start_date": "2026-01-05", "closed_on": ' + value + '},'
            '{"case_id": "C-2", "start_date": "2026-01-05"}]}')
    path = tmp_path / "t.json"
    path.write_text(text)
    result = load_paths([path])
    assert [c.case_id for c in result.caseload.cases] == (["C-1", "C-2"] if problem is None else ["C-2"])
    assert [(p.case_id, p.field) for p in result.problems] == ([] if problem is None else [("C-1", "closed_on")])
    assert problem is None or problem in result.problems[0].message
    if problem is None:
        assert result.caseload.cases[0].closed_on is None


def test_a_byte_order_mark_and_text_beyond_ascii_take_the_fast_path(tmp_path):
    doc = document([{"case_id": "C-é", "start_date": "2026-01-05", "team": "Nord-Ouest ✓"}])
    data = b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode()
    assert jsonread.split(data) is not None
    path = tmp_path / "t.json"
    path.write_bytes(data)
    (case,) = load_paths([path]).caseload.cases
    assert case.case_id == "C-é" and case.team == "Nord-Ouest ✓"


def test_bytes_that_are_not_utf8_are_a_file_error(tmp_path):
    doc = json.dumps(document([{"case_id": "C-1", "start_date": "2026-01-05", "team": "X"}])).encode()
    path = tmp_path / "t.json"
    path.write_bytes(doc.replace(b'"X"', b'"\xff"'))
    result = load_paths([path])
    at = doc.index(b'"X"') + 1
    assert result.caseload.cases == () and [p.message for p in result.problems] == [f"not UTF-8 text (byte {at})"]


@pytest.mark.parametrize("where", ["service", "version"])
def test_a_header_value_msgspec_will_not_read_is_read_as_json_reads_it(tmp_path, where):
    """A number past a float (1e400) or of hundreds of digits in the header: json reads it, so the
    export loads as it would through json (the cases, and what the header's value is said to be)."""
    doc = document([{"case_id": "C-1", "start_date": "2026-01-05"}])
    text = json.dumps(doc).replace('"version": 1', '"version": 1e400') if where == "version" else (
        json.dumps(doc).replace('"service": {', '"service": {"note": 1e400, "size": ' + "9" * 400 + ", ", 1))
    path = tmp_path / "t.json"
    path.write_text(text)
    fast = load_paths([path])
    whole = load_document(json.loads(text), str(path))
    assert fast.caseload.cases == tuple(whole[1]) and list(map(str, fast.problems)) == list(map(str, whole[3]))
    assert len(fast.caseload.cases) == (0 if where == "version" else 1)


def test_a_fault_the_split_meets_first_is_told_as_a_whole_parse_tells_it(tmp_path):
    """Nested too deeply after a number too long: json meets the number first, and says so."""
    text = '{"format": "yos-case-export", "z": 1' + "0" * 4300 + ', "x": ' + "[" * 5000 + "]" * 5000 + "}"
    path = tmp_path / "t.json"
    path.write_text(text)
    assert [p.message for p in load_paths([path]).problems] == ["not valid JSON: a number too long to read"]


@settings(max_examples=150)
@given(st.lists(case_dicts(), min_size=1, max_size=3))
def test_date_bounds_are_the_earliest_date_and_the_latest_recorded_one(raw):
    """The loader's walk written for each record class (_bounds_of) against the plain definition."""
    import datetime as dt

    from rules.load import _bounds, _recorded, load_document

    _, cases, _, _ = load_document(document([c | {"case_id": f"C-{i}"} for i, c in enumerate(raw)]), "t.json")
    for case in cases:
        recorded = [day for _, day in _recorded(case)]
        planned = [d for d in (case.end_date, case.custody.release_on if case.custody else None) if d is not None]
        assert _bounds(case) == (min(recorded + planned, default=dt.date.max), max(recorded, default=dt.date.min))
