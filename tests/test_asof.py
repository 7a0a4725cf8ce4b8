"""The default as-of date is the export's extract date when every input names the same one, else today;
every format says which date was used and why; a date before every case's start is warned of."""

from __future__ import annotations

import datetime as dt
import html
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.asof import EXTRACT, OPTION, TODAY, resolve_as_of
from rules.cli import main
from rules.report import SCORE_FORMATS

EXTRACTED = "2026-11-20"  # service.extracted_on of fixtures/small.json
TODAY_ = dt.date.today()


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def export(tmp_path, name, extracted_on, prefix="", fixtures=None):
    """fixtures/small.json with another extract date (None: none named) and its case ids prefixed."""
    doc = json.loads((fixtures / "small.json").read_text())
    if extracted_on is None:
        del doc["service"]["extracted_on"]
    else:
        doc["service"]["extracted_on"] = extracted_on
    for case in doc["cases"]:
        case["case_id"] = prefix + case["case_id"]
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def check_json(capsys, *argv):
    code, out, err = run(capsys, "check", *argv, "--format", "json")
    return code, json.loads(out), err


# -- which date ---------------------------------------------------------------------------------------


_DATES = st.one_of(st.none(), st.sampled_from([dt.date(2026, 11, 20), dt.date(2026, 11, 21)]))


@given(st.lists(_DATES, max_size=4), st.one_of(st.none(), st.dates()))
def test_the_date_is_the_option_else_the_one_extract_date_every_input_names_else_today(extracted, given_):
    today = dt.date(2030, 1, 1)
    got = resolve_as_of(given_, extracted, today)
    if given_ is not None:
        assert (got.date, got.source) == (given_, OPTION)
    elif extracted and None not in extracted and len(set(extracted)) == 1:
        assert (got.date, got.source) == (extracted[0], EXTRACT) and "extract date" in got.reason
    else:
        assert (got.date, got.source) == (today, TODAY) and got.reason.startswith("today: ")


def test_default_as_of_is_the_export_extract_date(capsys, fixtures):
    """Work done after the extract was taken is not in it: judged as of today, it would read as overdue."""
    _, doc, _ = check_json(capsys, fixtures / "small.json")
    assert (doc["as_of"], doc["as_of_source"]) == (EXTRACTED, "extract")
    assert doc["as_of_reason"] == "the export's extract date, service.extracted_on"
    _, pinned, _ = check_json(capsys, fixtures / "small.json", "--as-of", EXTRACTED)
    assert doc["findings"] == pinned["findings"] and doc["summary"] == pinned["summary"]
    assert pinned["as_of_source"] == "option"


def test_default_as_of_when_every_input_names_the_same_date(capsys, fixtures, tmp_path):
    a = export(tmp_path, "a.json", "2026-10-01", "A", fixtures)
    b = export(tmp_path, "b.json", "2026-10-01", "B", fixtures)
    _, doc, _ = check_json(capsys, a, b)
    assert (doc["as_of"], doc["as_of_source"]) == ("2026-10-01", "extract")


@pytest.mark.parametrize("second,why", [("2026-10-01", "different extract dates (2026-10-01, 2026-11-20)"),
                                        (None, "an export names no extract date")])
def test_default_as_of_is_today_when_the_inputs_differ_or_one_names_none(capsys, fixtures, tmp_path, second, why):
    b = export(tmp_path, "b.json", second, "B", fixtures)
    _, doc, _ = check_json(capsys, fixtures / "small.json", b)
    assert (doc["as_of"], doc["as_of_source"]) == (TODAY_.isoformat(), "today")
    assert why in doc["as_of_reason"]


def test_default_as_of_is_today_when_the_one_export_names_none(capsys, fixtures, tmp_path):
    _, doc, _ = check_json(capsys, export(tmp_path, "a.json", None, "", fixtures))
    assert (doc["as_of"], doc["as_of_source"]) == (TODAY_.isoformat(), "today")
    assert doc["as_of_reason"] == "today: the export names no extract date, service.extracted_on"


def test_score_and_sample_take_the_same_default(capsys, fixtures):
    code, out, _ = run(capsys, "score", fixtures / "small.json", "--format", "json", "--sample", "2")
    doc = json.loads(out)
    assert (doc["as_of"], doc["as_of_source"]) == (EXTRACTED, "extract")
    _, pinned, _ = run(capsys, "score", fixtures / "small.json", "--format", "json", "--sample", "2", "--as-of", EXTRACTED)
    assert {k: v for k, v in doc.items() if not k.startswith("as_of")} == {
        k: v for k, v in json.loads(pinned).items() if not k.startswith("as_of")}


# -- every format says which date and why ------------------------------------------------------------


REASON = "the export's extract date, service.extracted_on"
SAID = f"{EXTRACTED} ({REASON})"


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_the_text_formats_say_the_date_and_why(capsys, fixtures, fmt):
    _, out, _ = run(capsys, "check", fixtures / "small.json", "--format", fmt)
    assert f"as of {SAID}" in out.replace("As of", "as of")


def test_the_machine_formats_say_the_date_and_why(capsys, fixtures):
    path = fixtures / "small.json"
    doc = json.loads(run(capsys, "check", path, "--format", "json")[1])
    assert (doc["as_of"], doc["as_of_source"], doc["as_of_reason"]) == (EXTRACTED, "extract", REASON)
    summary = json.loads(run(capsys, "check", path, "--format", "jsonl")[1].splitlines()[-1])
    assert (summary["as_of"], summary["as_of_source"], summary["as_of_reason"]) == (EXTRACTED, "extract", REASON)
    props = json.loads(run(capsys, "check", path, "--format", "sarif")[1])["runs"][0]["properties"]
    assert (props["asOf"], props["asOfSource"], props["asOfReason"]) == (EXTRACTED, "extract", REASON)
    root = ET.fromstring(run(capsys, "check", path, "--format", "junit")[1])
    for suite in root.iter("testsuite"):
        got = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert (got["as_of"], got["as_of_source"], got["as_of_reason"]) == (EXTRACTED, "extract", REASON)


def test_csv_has_no_room_for_the_date(capsys, fixtures):
    """Documented in rules/report/csv_.py: every row is a finding, so the date is not said there."""
    _, out, _ = run(capsys, "check", fixtures / "small.json", "--format", "csv")
    assert out.splitlines()[0].startswith("case_id,")


@pytest.mark.parametrize("fmt", SCORE_FORMATS)
def test_score_formats_say_the_date_and_why(capsys, fixtures, fmt):
    _, out, _ = run(capsys, "score", fixtures / "small.json", "--format", fmt)
    if fmt == "json":
        doc = json.loads(out)
        assert (doc["as_of"], doc["as_of_source"], doc["as_of_reason"]) == (EXTRACTED, "extract", REASON)
    else:  # markdown escapes the underscore, HTML the apostrophe
        assert f"as of {SAID}" in html.unescape(out.replace("\\_", "_"))


# -- an as-of before every case's start ---------------------------------------------------------------


def test_an_as_of_before_every_start_is_warned_of_in_the_report_and_on_stderr(capsys, fixtures):
    """--as-of 2016-11-20 for 2026-11-20: nothing is due, and the caseload would read as clean."""
    code, doc, err = check_json(capsys, fixtures / "small.json", "--as-of", "2016-11-20")
    assert doc["summary"]["findings"] == 0 and code == 0
    (warning,) = [p for p in doc["input_problems"] if p["field"] == "as_of"]
    assert warning["level"] == "warning" and warning["file"] == str(fixtures / "small.json")
    assert warning["case_id"] is None and "before every case's start" in warning["message"]
    assert "2016-11-20" in warning["message"] and "2026-02-02" in warning["message"]  # the first start
    assert err.count("before every case's start") == 1 and err.startswith("yos-audit: ")
    _, out, err = run(capsys, "check", fixtures / "small.json", "--as-of", "2016-11-20")
    assert "before every case's start" in out and "before every case's start" in err
    _, out, err = run(capsys, "score", fixtures / "small.json", "--as-of", "2016-11-20")
    assert err.count("before every case's start") == 1


def test_no_warning_once_a_case_has_started_and_the_audited_cases_are_the_ones_looked_at(capsys, fixtures):
    _, doc, err = check_json(capsys, fixtures / "small.json", "--as-of", "2026-02-02")  # C-0003 starts that day
    assert not [p for p in doc["input_problems"] if p["field"] == "as_of"] and err == ""
    _, doc, err = check_json(capsys, fixtures / "small.json", "--as-of", "2026-02-02", "--team", "North")
    (warning,) = [p for p in doc["input_problems"] if p["field"] == "as_of"]  # North's first case starts 2026-06-01
    assert "2026-06-01" in warning["message"]

