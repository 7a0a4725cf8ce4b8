"""Config values out of range are config errors naming the key (exit 2), never an internal error, a
hang or gigabytes; an empty selection or a mistyped waivers table warns rather than passing silently
(issue 17, items 9 and 11)."""

import datetime as dt
import json
import warnings

import pytest
from cli_helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.catalogue import all_rules
from rules.cli import AS_OF_RANGE
from rules.config import Config, ConfigError, default_config_toml, load_config, parse_config
from rules.engine import audit
from rules.registry import Option

AS_OF = ["--as-of", "2026-11-20"]
OPTIONS = [(code, name, spec) for code, r in all_rules().items() for name, spec in r.option_specs.items()]
WHOLE = [(code, name, spec) for code, name, spec in OPTIONS if not spec.choices]


def one_error_line(err: str) -> str:
    """The single plain error line of a run that failed as a usage or config error should."""
    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    assert lines[-1].startswith("yos-audit: error: ")
    return lines[-1]


def write_config(tmp_path, text: str):
    path = tmp_path / "cfg.toml"
    path.write_text(text)
    return path


def out_of_range(spec: Option) -> list:
    if spec.choices:
        return ["EXTREME", "medium", 3]
    return [spec.low - 1, spec.high + 1, -(10**21), 10**21, 1.5, True, "10"]


@pytest.mark.parametrize("code,name,spec", OPTIONS, ids=[f"{c}.{n}" for c, n, _ in OPTIONS])
def test_every_option_bound_is_enforced_with_the_key_named(capsys, fixtures, tmp_path, code, name, spec):
    for value in out_of_range(spec):
        text = f"[rules.{code}]\n{name} = {json.dumps(value)}\n"
        status, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(write_config(tmp_path, text)))
        line = one_error_line(err)
        assert status == 2 and out == "", value
        assert f"rules.{code}.{name}" in line and spec.describe() in line, line
    for value in ([spec.low, spec.high] if not spec.choices else list(spec.choices)):
        assert parse_config({"rules": {code: {name: value}}}, "c.toml").options[code][name] == value


def test_block_days_zero_is_a_config_error_not_a_division_by_zero(capsys, fixtures, tmp_path):
    cfg = write_config(tmp_path, "[rules.CON001]\nblock_days = 0\n")
    status, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(cfg))
    assert status == 2
    assert one_error_line(err) == f"yos-audit: error: {cfg}: rules.CON001.block_days: must be from 7 to 91 days, not 0"


@pytest.mark.parametrize("digits", [21, 4000])
def test_a_huge_integer_option_is_a_config_error_that_does_not_print_it_whole(capsys, fixtures, tmp_path, digits):
    cfg = write_config(tmp_path, f"[rules.ASM001]\nworking_days = {'9' * digits}\n")
    status, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(cfg))
    line = one_error_line(err)
    assert status == 2 and "rules.ASM001.working_days: must be from 0 to 260 working days" in line
    assert len(line) < 200


def test_a_huge_month_count_is_a_config_error(capsys, fixtures, tmp_path):
    cfg = write_config(tmp_path, "[rules.PLN002]\nmonths = 120000\n")
    status, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(cfg))
    assert status == 2 and "rules.PLN002.months: must be from 1 to 36 months, not 120000" in one_error_line(err)


@settings(max_examples=300, deadline=None)
@given(
    option=st.sampled_from(OPTIONS),
    value=st.one_of(st.integers(), st.integers(-(10**40), 10**40), st.integers(-5, 400), st.just(10**4000)),
)
def test_any_integer_for_any_option_is_a_config_or_a_config_error(option, value):
    code, name, spec = option
    try:
        config = parse_config({"rules": {code: {name: value}}}, "c.toml")
    except ConfigError as exc:
        assert f"rules.{code}.{name}" in str(exc) and len(str(exc)) < 200
    else:
        assert not spec.choices and spec.low <= value <= spec.high
        assert config.options[code][name] == value


@settings(max_examples=100, deadline=None)
@given(table=st.sampled_from(["bands", "ratings"]), key=st.sampled_from(["MINIMUM", "Good", "moderate"]),
       value=st.one_of(st.integers(), st.just(10**4000)))
def test_any_integer_for_a_scoring_threshold_is_a_config_or_a_config_error(table, key, value):
    try:
        parse_config({"scoring": {table: {key: value}}}, "c.toml")
    except ConfigError as exc:
        assert f"scoring.{table}." in str(exc) and len(str(exc)) < 300  # this key, or the one it must be below


@pytest.mark.parametrize("as_of", [dt.date(1990, 1, 2), dt.date(2100, 12, 31)])
def test_every_option_at_its_bounds_audits_at_the_ends_of_the_date_range(fixtures, as_of):
    from rules.load import load_paths

    cases = load_paths([str(fixtures / "small.json")]).caseload
    for pick in (lambda s: s.low, lambda s: s.high):
        options = {code: {name: pick(spec) for name, spec in r.option_specs.items() if not spec.choices}
                   for code, r in all_rules().items()}
        config = parse_config({"rules": options}, "c.toml")
        audit(cases, as_of, config.rules(), config.options)


def test_init_template_shows_every_bound_and_loads_as_the_defaults(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    text = (tmp_path / "yos-audit.toml").read_text()
    assert text == default_config_toml()
    for code, name, spec in OPTIONS:
        section = text[text.index(f"[rules.{code}]"):]
        line = next(x for x in section.splitlines() if x.startswith(f"{name} ="))
        assert line.endswith(f"# {spec.describe()}"), line
    assert "block_days = 28" in text and "# 7 to 91 days" in text
    written = load_config()
    assert {code: dict(opts) for code, opts in written.options.items()} == {
        code: dict(r.options) for code, r in all_rules().items() if r.options
    }
    assert (written.select, written.ignore, written.fail_on) == (Config().select, Config().ignore, Config().fail_on)
    assert [r.code for r in written.rules()] == list(all_rules())


def test_an_option_is_declared_with_bounds_that_allow_its_default():
    from rules.registry import rule

    with pytest.raises(TypeError, match="option days"):
        rule("ZZZ001", "x", severity="error", criterion="1.1", standard="", source="", fails="", passes="",
             options={"days": 5})
    with pytest.raises(TypeError, match="option days"):
        rule("ZZZ001", "x", severity="error", criterion="1.1", standard="", source="", fails="", passes="",
             options={"days": Option.working_days(300)})
    assert "ZZZ001" not in all_rules()


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "1989-12-31", "0001-01-01"])
def test_an_as_of_date_out_of_range_is_a_usage_error(capsys, fixtures, day):
    status, out, err = run(capsys, "check", str(fixtures / "small.json"), "--as-of", day)
    assert status == 2 and out == ""
    assert f"argument --as-of: {day} is out of range: a date from 1990-01-01 to 2100-12-31" in one_error_line(err)


def test_the_as_of_range_starts_where_plausible_dates_do_and_its_ends_audit(capsys, fixtures):
    from rules.load.converter import EARLIEST_PLAUSIBLE

    assert AS_OF_RANGE[0] == EARLIEST_PLAUSIBLE
    for day in AS_OF_RANGE:
        status, _, err = run(capsys, "check", str(fixtures / "small.json"), "--as-of", day.isoformat())
        assert status in (0, 1) and "error" not in err


def test_working_days_past_the_last_date_fail_at_once():
    from rules.calendar import WorkingDays

    days = WorkingDays(last_year=2030)
    with pytest.raises(OverflowError, match="beyond the last date"):
        days.add(dt.date(2026, 1, 1), 10**21)
    assert days._last < 2040  # no calendar of millennia was built on the way


# -- baselines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("digits,says", [(5000, "not valid JSON: a number too long to read"),
                                          (4000, "baseline version a number of 4000 digits is not one")])
def test_a_baseline_with_a_huge_integer_is_a_clear_error(capsys, fixtures, tmp_path, digits, says):
    path = tmp_path / "baseline.json"
    path.write_text('{"format": "yos-audit-baseline", "version": %s, "findings": []}' % ("9" * digits))
    status, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--since-baseline", str(path))
    line = one_error_line(err)
    assert status == 2 and says in line and len(line) < 300


# -- warnings instead of a silent all-clear -----------------------------------------------------


@pytest.mark.parametrize("text,argv,shown", [
    ("select = []\n", [], "select = [], ignore = []"),
    ('ignore = ["ALL"]\n', [], "select = ['ALL'], ignore = ['ALL']"),
    ('select = [""]\n', [], "select = [''], ignore = []"),
    ("", ["--select", "ROH", "--ignore", "ROH"], "select = ['ROH'], ignore = ['ROH']"),
])
def test_a_selection_of_no_rule_warns(capsys, fixtures, tmp_path, text, argv, shown):
    cfg = write_config(tmp_path, text)
    for command in ("check", "score"):
        status, out, err = run(capsys, command, str(fixtures / "small.json"), *AS_OF, "--config", str(cfg), *argv)
        assert status == 0 and out
        assert f"yos-audit: warning: no rule selected: {shown}" in err and "the run checks nothing" in err


def test_a_selection_of_some_rules_does_not_warn(capsys, fixtures, tmp_path):
    cfg = write_config(tmp_path, 'ignore = ["ROH"]\n')
    _, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(cfg))
    assert "warning" not in err


WAIVER = 'rule = "ROH003"\ncase = "C-0001"\nreason = "on paper"\nwho = "TM"\nuntil = 2027-01-31\n'


@pytest.mark.parametrize("table", ["waivers", "Waiver"])
def test_a_mistyped_waivers_table_warns(capsys, fixtures, tmp_path, table):
    path = tmp_path / "w.toml"
    path.write_text(f"[[{table}]]\n{WAIVER}")
    status, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--waivers", str(path))
    assert status == 1 and out
    assert f"yos-audit: warning: {path}: [[{table}]] is not read (a waiver is a [[waiver]] table)" in err


def test_load_waivers_warns_by_default_and_reads_the_waivers_it_knows(tmp_path):
    from rules.waivers import load_waivers

    path = tmp_path / "w.toml"
    path.write_text(f"owner = 'TM'\n[[waiver]]\n{WAIVER}")
    with pytest.warns(UserWarning, match="unknown key 'owner' is not read"):
        assert [w.rule for w in load_waivers(path)] == ["ROH003"]
    said = []
    assert len(load_waivers(path, said.append)) == 1 and len(said) == 1
    path.write_text(f"[[waiver]]\n{WAIVER}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_waivers(path)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[rules.ROH033]\n", "rules: unknown rule code 'ROH033'; did you mean ROH003"),
        ("[rules.rmp-required]\n", "rules: unknown rule code 'rmp-required'; did you mean ROH003?"),  # a name: its code
        ("[severity]\nASM0001 = 'error'\n", "severity: unknown rule code 'ASM0001'; did you mean ASM001"),
        ("select = ['ROH033']\n", "select: unknown rule code or prefix 'ROH033'; did you mean ROH003"),
    ],
)
def test_an_unknown_rule_code_in_the_config_suggests_the_nearest_as_explain_does(capsys, fixtures, tmp_path, text, said):
    path = tmp_path / "yos-audit.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert str(exc.value).startswith(f"{path}: {said}")
    status, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(path))
    assert status == 2 and one_error_line(err).startswith(f"yos-audit: error: {path}: {said}")


def test_a_code_near_no_rule_gets_no_suggestion(tmp_path):
    path = tmp_path / "yos-audit.toml"
    path.write_text("[rules.XYZ]\n")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert str(exc.value) == f"{path}: rules: unknown rule code 'XYZ'"
