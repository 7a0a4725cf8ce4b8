"""The check report's JSON is written in C, and must read exactly as :mod:`json` would write it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.report import jsontext

# what the reports hold: text of any kind (controls, non-ASCII, lone surrogates), whole numbers (some
# past 64 bits), booleans and nulls, in nested lists and tables; floats that json writes without an
# exponent (the score report's percents and thresholds; see jsontext)
plain_floats = st.floats(min_value=1e-4, max_value=1e16, exclude_max=True) | st.sampled_from([0.0, 74.9, 100.0])
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | plain_floats | plain_floats.map(lambda x: -x)
    | st.sampled_from(["a\ud800b", "\x00\x1f\x7f\u2028", 2**64, -(2**63) - 1]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300)
@given(values, st.sampled_from([1, 2]))
def test_the_text_is_what_json_writes(doc, indent):
    assert jsontext.dumps(doc, indent) == json.dumps(doc, indent=indent, ensure_ascii=False)


def test_the_check_report_and_sarif_are_what_json_writes():
    import datetime as dt
    from pathlib import Path

    from rules.engine import audit
    from rules.load import load_paths
    from rules.report import CheckReport, render

    result = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"])
    done = audit(result.caseload, dt.date(2026, 11, 20))
    report = CheckReport(done.as_of, done.findings, result.problems, done.rules, {c.case_id: c for c in result.caseload.cases})
    for fmt in ("json", "sarif"):
        text = render(report, fmt)
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
        assert text.count("\n") > 1000


def test_findings_made_in_c_read_as_the_findings_dicts():
    """The check report writes its findings from structs; the text must be what the dicts of
    :func:`finding_dict` (the contract's shape) give, waived or not, and through json where msgspec
    will not write (a lone surrogate in an id from the export)."""
    import datetime as dt
    from pathlib import Path

    from rules.engine import audit
    from rules.load import load_paths
    from rules.report.json_ import _finding, finding_dict

    result = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"])
    findings = list(audit(result.caseload, dt.date(2026, 11, 20)).findings)
    waived = [f._replace(waived=True, waiver_reason=reason) for f, reason in zip(findings, ["agreed", None])]
    for some in (findings + waived, [*waived, findings[0]._replace(case_id="C-\ud800")]):
        as_dicts = json.dumps([finding_dict(f) for f in some], indent=2, ensure_ascii=False)
        assert jsontext.dumps([_finding(f) for f in some]) == as_dicts


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_is_the_same_number(x):
    """A float json writes with an exponent may be spelt another way; it reads back the same."""
    assert json.loads(jsontext.dumps([x])) == [x]


def test_the_score_report_is_what_json_writes():
    import datetime as dt
    from pathlib import Path

    from rules.engine import audit
    from rules.load import load_paths
    from rules.report import score_json
    from rules.scoring import score

    result = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"])
    done = audit(result.caseload, dt.date(2026, 11, 20))
    for scores in (score(done, by="team"), score(done, {"bands": {"MINIMUM": 74.5, "SUBSTANTIAL": 12.25}})):
        text = score_json.render(scores)
        assert text == json.dumps(score_json.score_document(scores), indent=2, ensure_ascii=False) + "\n"
        assert "74.5" in text or '"by": "team"' in text


def test_what_the_command_line_writes_is_the_rendered_text():
    """The JSON reports go out as bytes (never copied into text and back); they are the text of
    render, and a report msgspec will not write (a lone surrogate from the export) goes out as text."""
    import datetime as dt
    from pathlib import Path

    from rules.engine import audit
    from rules.load import load_paths
    from rules.report import CheckReport, output, output_scores, render, render_scores
    from rules.scoring import score

    result = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"])
    done = audit(result.caseload, dt.date(2026, 11, 20))
    cases = {c.case_id: c for c in result.caseload.cases}
    report = CheckReport(done.as_of, done.findings, result.problems, done.rules, cases)
    for fmt in ("json", "sarif"):
        parts = output(report, fmt)
        assert not isinstance(parts, str) and b"".join(parts).decode("utf-8") == render(report, fmt)
    assert output(report, "text") == render(report, "text")
    odd = CheckReport(done.as_of, (done.findings[0]._replace(case_id="C-\ud800"),), (), done.rules, cases)
    assert output(odd, "json") == render(odd, "json")
    scores = score(done)
    assert b"".join(output_scores(scores, "json")).decode("utf-8") == render_scores(scores, "json")
    assert output_scores(scores, "markdown") == render_scores(scores, "markdown")


def test_bytes_are_written_to_a_file_and_to_standard_output_as_the_text_is(tmp_path, capsys):
    from rules.cli import write_output

    text = "é\n" * 3
    write_output(text, str(tmp_path / "a.txt"))
    write_output((text[:3].encode(), text[3:].encode()), str(tmp_path / "b.txt"))
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes() == text.encode()
    print("before", end="")  # what was written as text before comes first
    write_output((b"x", b"y\n"), None)
    assert capsys.readouterr().out == "beforexy\n"
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as plain:  # a standard output of text only
        write_output(("é".encode(), b"\n"), None)
    assert plain.getvalue() == "é\n"


@settings(max_examples=200)
@given(
    st.dictionaries(st.sampled_from(["a", "findings", "z", "b"]), values, max_size=3),
    st.lists(values, max_size=7),
    st.integers(1, 3),
    st.sampled_from([0, 1, 2, 4]),
    st.sampled_from(["findings", "fïndings"]),
)
def test_a_long_list_written_in_pieces_is_the_whole_text(doc, items, batch, indent, key):
    """The check report's findings go out a batch at a time: the pieces are dumps' text, whatever the
    list holds and wherever the key stands (a nested "findings" is not the top level's), for any indent
    (0 writes one line) and a key json and msgspec spell differently."""
    doc = {**doc, "nested": {key: []}, key: items}
    pieces = jsontext.encode_pieces(doc, key, indent, batch)
    if pieces is None:  # msgspec will not write it: dumps goes through json
        assert jsontext.encode(doc, indent) is None
    else:
        assert b"".join(pieces).decode("utf-8") == jsontext.dumps(doc, indent)
