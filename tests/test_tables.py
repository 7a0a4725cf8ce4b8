"""Report extracts (a folder of CSV files, an xlsx workbook) read through a column map."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest
from attrs import evolve as attrs_evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import model
from rules.catalogue import all_rules
from rules.cli import main
from rules.engine import audit
from rules.load import ProblemLevel, load_paths
from rules.load.colmap import MapError, default_map, map_template, parse_map, read_map
from rules.load.tables import caseload_document, write_tables

ROOT = Path(__file__).resolve().parent.parent
TABULAR = ROOT / "examples" / "tabular"
EXAMPLE_MAP = TABULAR / "yos-audit-map.toml"
AS_OF = dt.date(2026, 11, 20)


def source_json() -> Path:
    """The JSON caseload the committed example tables were made from (make_tabular.py says)."""
    return ROOT / (TABULAR / "SOURCE").read_text(encoding="utf-8").strip()


# -- the worked example: the same caseload three ways ------------------------------------------


@pytest.fixture(scope="module")
def three_ways():
    return {
        "json": load_paths([source_json()]),
        "csv": load_paths([TABULAR / "csv"]),  # the map is found beside the folder
        "xlsx": load_paths([TABULAR / "caseload.xlsx"], map_path=EXAMPLE_MAP),
    }


def test_example_tables_load_without_problems(three_ways):
    for name, result in three_ways.items():
        assert result.problems == (), name
        assert result.rejected == 0, name
        assert result.caseload.cases, name


def test_csv_workbook_and_json_load_to_identical_cases(three_ways):
    cases = three_ways["json"].caseload.cases
    assert three_ways["csv"].caseload.cases == cases, "run examples/tabular/make_tabular.py after the caseload changes"
    assert three_ways["xlsx"].caseload.cases == cases, "run examples/tabular/make_tabular.py after the caseload changes"
    service = three_ways["json"].caseload.service
    assert three_ways["csv"].caseload.service == service == three_ways["xlsx"].caseload.service


def test_csv_workbook_and_json_give_identical_findings(three_ways):
    rules = list(all_rules().values())
    assert rules
    found = {name: audit(result.caseload, AS_OF, rules) for name, result in three_ways.items()}
    assert found["json"].outcomes  # the rules did judge something
    assert found["csv"].findings == found["json"].findings
    assert found["xlsx"].findings == found["json"].findings
    assert found["csv"].outcomes == found["json"].outcomes == found["xlsx"].outcomes


def test_example_csv_is_written_the_way_a_system_writes_it():
    raw = (TABULAR / "csv" / "Case List.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert "Young Person ID" in header and "Date Of Birth" in header and "case_id" not in header
    text = raw.decode("utf-8-sig")
    assert "Referral Order" in text
    assert any(len(cell) == 10 and cell[2] == "/" and cell[5] == "/" for cell in text.replace("\r\n", ",").split(","))


def test_the_example_regenerates_to_the_same_cases(tmp_path):
    source = load_paths([source_json()])
    colmap = read_map(EXAMPLE_MAP)
    write_tables(source.caseload, colmap, tmp_path / "csv")
    write_tables(source.caseload, colmap, tmp_path / "book.xlsx")
    for path in (tmp_path / "csv", tmp_path / "book.xlsx"):
        again = load_paths([path], map_path=EXAMPLE_MAP)
        assert again.problems == ()
        assert again.caseload.cases == source.caseload.cases


# -- helpers for hand-made extracts -------------------------------------------------------------

SMALL_MAP = """
[service]
name = "Test YJS"

[read]
dates = ["%d/%m/%Y", "excel"]

[cases]
table = "Case List"
[cases.columns]
case_id = "Case Ref"
child.date_of_birth = "Date Of Birth"
child.looked_after = "LAC Status"
legal_outcome = "Order Type"
start_date = "Order Start Date"
end_date = "Order End Date"
mappa.category = "MAPPA Category"
[cases.codes.legal_outcome]
"YRO" = "YOUTH_REHABILITATION_ORDER"

[assessments]
table = "Assessments"
[assessments.columns]
case_id = "Case Ref"
id = "Assessment ID"
kind = "Assessment Type"
completed_on = "Date Completed"
level = "Rating"
full_analysis_required = "Full Required"
[assessments.codes.kind]
"RoSH Screening" = "ROSH_SCREENING"
[assessments.codes.level]
"Med" = "MEDIUM"

[plans]
table = "Plans"
[plans.columns]
case_id = "Case Ref"
id = "Plan ID"
addresses = "Areas Addressed"
"""

CASES_HEADER = ["Case Ref", "Date Of Birth", "LAC Status", "Order Type", "Order Start Date", "Order End Date", "MAPPA Category"]
ASSESSMENTS_HEADER = ["Case Ref", "Assessment ID", "Assessment Type", "Date Completed", "Rating", "Full Required"]
PLANS_HEADER = ["Case Ref", "Plan ID", "Areas Addressed"]
GOOD_CASE = ["C-1", "14/03/2010", "Y", "YRO", "01/06/2026", "01/06/2027", "2"]
GOOD_ASSESSMENT = ["C-1", "A1", "RoSH Screening", "12/06/2026", "Med", "N"]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8",
              eol: str = "\r\n", tail: str = "") -> Path:
    text = eol.join(delimiter.join(cells) for cells in rows) + eol + tail
    path.write_bytes(text.encode(encoding))
    return path


def bundle(tmp_path: Path, cases=None, assessments=None, plans=None, map_text: str = SMALL_MAP, **csv) -> Path:
    folder = tmp_path / "extract"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "yos-audit-map.toml").write_text(map_text, encoding="utf-8")
    write_csv(folder / "Case List.csv", [CASES_HEADER, *(cases if cases is not None else [GOOD_CASE])], **csv)
    write_csv(folder / "Assessments.csv", [ASSESSMENTS_HEADER, *(assessments if assessments is not None else [GOOD_ASSESSMENT])], **csv)
    write_csv(folder / "Plans.csv", [PLANS_HEADER, *(plans or [])], **csv)
    return folder


def only(problems, **wanted):
    """The one problem whose attributes are as wanted."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in wanted.items())]
    assert len(found) == 1, f"wanted one problem with {wanted}, got: {[str(p) for p in problems]}"
    return found[0]


# -- clean but untidy extracts ------------------------------------------------------------------


def test_a_small_bundle_reads_as_its_json_would(tmp_path):
    result = load_paths([bundle(tmp_path)])
    assert result.problems == ()
    assert result.caseload.service == model.Service(name="Test YJS")
    (case,) = result.caseload.cases
    assert case == model.Case(
        case_id="C-1", start_date=dt.date(2026, 6, 1), end_date=dt.date(2027, 6, 1),
        child=model.Child(date_of_birth=dt.date(2010, 3, 14), looked_after=True),
        legal_outcome=model.LegalOutcome.YOUTH_REHABILITATION_ORDER,
        mappa=model.Mappa(category=2),
        assessments=(model.Assessment(id="A1", kind=model.AssessmentKind.ROSH_SCREENING,
                                      completed_on=dt.date(2026, 6, 12), level=model.Level.MEDIUM,
                                      full_analysis_required=False),),
    )


def test_semicolons_bom_and_trailing_blank_rows(tmp_path):
    plain = load_paths([bundle(tmp_path / "a")]).caseload
    folder = bundle(tmp_path / "b", delimiter=";", encoding="utf-8-sig", tail=";;;;;;\r\n\r\n;;\r\n")
    assert (folder / "Case List.csv").read_bytes().startswith(codecs.BOM_UTF8)
    result = load_paths([folder])
    assert result.problems == ()
    assert result.caseload == plain


def test_windows_1252_text_is_read(tmp_path):
    ethnic = "Any other mixed background – Côte d’Ivoire £"
    map_text = SMALL_MAP.replace('child.looked_after = "LAC Status"', 'child.looked_after = "LAC Status"\nchild.ethnicity = "Ethnicité"')
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "yos-audit-map.toml").write_text(map_text, encoding="utf-8")
    write_csv(folder / "Case List.csv", [[*CASES_HEADER, "Ethnicité"], [*GOOD_CASE, ethnic]], encoding="cp1252")
    write_csv(folder / "Assessments.csv", [ASSESSMENTS_HEADER], encoding="cp1252")
    write_csv(folder / "Plans.csv", [PLANS_HEADER], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        (folder / "Case List.csv").read_bytes().decode("utf-8")
    result = load_paths([folder])
    assert result.problems == ()
    assert result.caseload.cases[0].child.ethnicity == ethnic


def test_header_whitespace_and_case_are_forgiven(tmp_path):
    header = ["  Case   Ref ", "date of birth", "LAC\u00a0Status", "Order Type", "Order Start Date", "ORDER END DATE", "MAPPA Category"]
    folder = bundle(tmp_path)
    write_csv(folder / "Case List.csv", [header, GOOD_CASE])
    result = load_paths([folder])
    assert result.problems == ()
    assert result.caseload.cases[0].child.date_of_birth == dt.date(2010, 3, 14)


def test_no_date_values_read_as_absent(tmp_path):
    cases = [
        ["C-1", "01/01/1900", "", "YRO", "01/06/2026", "1900-01-01", ""],
        ["C-2", "1", "", "YRO", "01/06/2026", "0", ""],  # Excel serials for 01/01/1900 and 00/01/1900
    ]
    result = load_paths([bundle(tmp_path, cases=cases, assessments=[])])
    assert result.problems == ()
    for case in result.caseload.cases:
        assert case.end_date is None
        assert case.child is None


def test_other_date_styles(tmp_path):
    cases = [
        ["C-1", "2010-03-14", "", "", "01/06/2026 00:00", "46539", ""],  # ISO, a time to ignore, an Excel serial
    ]
    result = load_paths([bundle(tmp_path, cases=cases, assessments=[])])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.child.date_of_birth == dt.date(2010, 3, 14)
    assert case.start_date == dt.date(2026, 6, 1)
    assert case.end_date == dt.date(2027, 6, 1)  # Excel shows 46539 as 01/06/2027 (45658 is 01/01/2025)


def test_our_own_codes_need_no_map_line(tmp_path):
    cases = [["C-1", "", "yes", "Referral Order", "01/06/2026", "", ""]]
    assessments = [["C-1", "A1", "rosh screening", "", "Very High", "TRUE"]]
    plans = [["C-1", "P1", " Risk of Harm ;victim-safety; "]]
    result = load_paths([bundle(tmp_path, cases=cases, assessments=assessments, plans=plans)])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.legal_outcome is model.LegalOutcome.REFERRAL_ORDER
    assert case.assessments[0].kind is model.AssessmentKind.ROSH_SCREENING
    assert case.assessments[0].level is model.Level.VERY_HIGH
    assert case.assessments[0].full_analysis_required is True
    assert case.plans[0].addresses == (model.Addresses.RISK_OF_HARM, model.Addresses.VICTIM_SAFETY)


# -- every kind of bad cell: an input problem naming file, row, column and value ---------------


def test_bad_date(tmp_path):
    assessments = [GOOD_ASSESSMENT, ["C-1", "A2", "RoSH Screening", "31/02/2026", "Med", "N"]]
    folder = bundle(tmp_path, assessments=assessments, cases=[GOOD_CASE, ["C-2", *GOOD_CASE[1:]]])
    result = load_paths([folder])
    p = only(result.problems)
    assert (p.level, p.file, p.row, p.column) == (ProblemLevel.ERROR, str(folder / "Assessments.csv"), 3, "Date Completed")
    assert (p.case_id, p.field) == ("C-1", "assessments[1].completed_on")
    assert "'31/02/2026'" in p.message and "dd/mm/yyyy" in p.message
    assert "Assessments.csv: row 3, column 'Date Completed': case C-1" in str(p)
    # the case with the bad cell is not audited; the other one is
    assert [c.case_id for c in result.caseload.cases] == ["C-2"]
    assert result.rejected == 1


def test_unknown_code(tmp_path):
    assessments = [["C-1", "A1", "RoSH Screening", "12/06/2026", "Med-High", "N"]]
    result = load_paths([bundle(tmp_path, assessments=assessments)])
    p = only(result.problems)
    assert (p.level, p.row, p.column, p.field) == (ProblemLevel.ERROR, 2, "Rating", "assessments[0].level")
    assert "'Med-High'" in p.message and "MEDIUM" in p.message and "[assessments.codes.level]" in p.message
    assert result.caseload.cases == ()


def test_unknown_code_in_a_list(tmp_path):
    plans = [["C-1", "P1", "Risk of Harm; Offending"]]
    result = load_paths([bundle(tmp_path, plans=plans)])
    p = only(result.problems)
    assert (p.file.endswith("Plans.csv"), p.row, p.column, p.field) == (True, 2, "Areas Addressed", "plans[0].addresses")
    assert "'Offending'" in p.message


def test_bad_boolean(tmp_path):
    cases = [["C-1", "14/03/2010", "Maybe", "YRO", "01/06/2026", "", ""]]
    result = load_paths([bundle(tmp_path, cases=cases)])
    p = only(result.problems)
    assert (p.row, p.column, p.case_id, p.field) == (2, "LAC Status", "C-1", "child.looked_after")
    assert "'Maybe'" in p.message and "Y" in p.message


def test_bad_whole_number(tmp_path):
    cases = [["C-1", "", "", "", "01/06/2026", "", "two"]]
    p = only(load_paths([bundle(tmp_path, cases=cases)]).problems)
    assert (p.row, p.column, p.field) == (2, "MAPPA Category", "mappa.category")
    assert "'two'" in p.message


def test_missing_case_id(tmp_path):
    cases = [GOOD_CASE, ["", "14/03/2010", "", "YRO", "01/06/2026", "", ""]]
    assessments = [GOOD_ASSESSMENT, [" ", "A9", "RoSH Screening", "", "", ""]]
    result = load_paths([bundle(tmp_path, cases=cases, assessments=assessments)])
    in_cases = only(result.problems, column="Case Ref", row=3, file=str(tmp_path / "extract" / "Case List.csv"))
    assert in_cases.level is ProblemLevel.ERROR and in_cases.file.endswith("Case List.csv")
    assert "no case id" in in_cases.message
    in_assessments = only(result.problems, row=3, file=str(tmp_path / "extract" / "Assessments.csv"))
    assert in_assessments.column == "Case Ref" and in_assessments.level is ProblemLevel.ERROR
    assert [c.case_id for c in result.caseload.cases] == ["C-1"]
    assert result.rejected == 1


def test_a_row_whose_case_id_matches_no_case(tmp_path):
    assessments = [GOOD_ASSESSMENT, ["C-404", "A1", "RoSH Screening", "", "", ""]]
    result = load_paths([bundle(tmp_path, assessments=assessments)])
    p = only(result.problems)
    assert (p.level, p.row, p.column, p.case_id) == (ProblemLevel.WARNING, 3, "Case Ref", "C-404")
    assert p.file.endswith("Assessments.csv") and "'C-404'" in p.message
    assert len(result.caseload.cases) == 1 and result.ok


def test_required_cell_empty(tmp_path):
    cases = [["C-1", "", "", "", "", "", ""]]
    p = only(load_paths([bundle(tmp_path, cases=cases)]).problems)
    assert (p.level, p.row, p.column, p.field) == (ProblemLevel.ERROR, 2, "Order Start Date", "start_date")
    assert "empty" in p.message


def test_problems_of_the_whole_case_name_its_rows(tmp_path):
    cases = [["C-1", "", "", "", "01/06/2026", "01/05/2026", ""]]  # ends before it starts
    assessments = [GOOD_ASSESSMENT, ["C-1", "A1", "RoSH Screening", "", "", ""]]  # A1 twice
    result = load_paths([bundle(tmp_path, cases=cases, assessments=assessments)])
    ended = only(result.problems, field="end_date")
    assert (ended.row, ended.column) == (2, "Order End Date") and ended.file.endswith("Case List.csv")
    twice = only(result.problems, field="assessments[1].id")
    assert (twice.row, twice.column) == (3, "Assessment ID")
    assert "also at row 2" in twice.message


def test_duplicate_case_id(tmp_path):
    result = load_paths([bundle(tmp_path, cases=[GOOD_CASE, GOOD_CASE])])
    p = only(result.problems)
    assert (p.level, p.row, p.column, p.case_id) == (ProblemLevel.ERROR, 3, "Case Ref", "C-1")
    assert "also at row 2" in p.message
    assert len(result.caseload.cases) == 1 and result.rejected == 1


def test_a_mapped_column_missing_from_the_header(tmp_path):
    folder = bundle(tmp_path)
    write_csv(folder / "Assessments.csv", [[h if h != "Rating" else "Ratng" for h in ASSESSMENTS_HEADER], GOOD_ASSESSMENT])
    result = load_paths([folder])
    p = only(result.problems)
    assert (p.level, p.row, p.column) == (ProblemLevel.ERROR, 1, "Rating")
    assert "'Ratng'" in p.message  # the header as it is, to spot the typo


def test_a_mapped_table_missing(tmp_path):
    folder = bundle(tmp_path)
    (folder / "Plans.csv").unlink()
    p = only(load_paths([folder]).problems)
    assert p.level is ProblemLevel.ERROR and "'Plans'" in p.message and "Assessments.csv" in p.message


def test_map_mistakes_are_named(tmp_path):
    folder = bundle(tmp_path, map_text=SMALL_MAP.replace("completed_on =", "completed_onn =").replace("[read]", "[reed]"))
    problems = load_paths([folder]).problems
    assert all(p.level is ProblemLevel.ERROR and p.file == str(folder / "yos-audit-map.toml") for p in problems)
    text = " ".join(p.message for p in problems)
    assert "'completed_onn'" in text and "'completed_on'" in text  # with a suggestion
    assert "[reed]" in text and "'read'" in text


def test_a_code_translated_to_no_code_of_ours_is_a_map_mistake():
    with pytest.raises(MapError, match="MEDUIM"):
        parse_map(tomllib.loads(SMALL_MAP.replace('"Med" = "MEDIUM"', '"Med" = "MEDUIM"')))


def test_text_neither_utf8_nor_cp1252(tmp_path):
    folder = bundle(tmp_path)
    (folder / "Plans.csv").write_bytes(b"Case Ref,Plan ID\r\nC-1,P\x81\x8d\r\n")
    result = load_paths([folder])
    p = only(result.problems)
    assert p.file == str(folder / "Plans.csv") and "UTF-8" in p.message and "encoding" in p.message


# -- workbooks ---------------------------------------------------------------------------------


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_with_date_cells_serials_and_numbers(tmp_path):
    (tmp_path / "yos-audit-map.toml").write_text(SMALL_MAP, encoding="utf-8")
    book = write_book(tmp_path / "extract.xlsx", {
        "Case List": [CASES_HEADER, [101, dt.datetime(2010, 3, 14), True, "YRO", dt.date(2026, 6, 1), 46539, 2.0], [None] * 7],
        "assessments": [ASSESSMENTS_HEADER, [101, "A1", "RoSH Screening", "12/06/2026", "Med", False]],
        "Plans": [PLANS_HEADER],
    })
    result = load_paths([book])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.case_id == "101"  # a number typed into a text column is read as its digits
    assert case.child == model.Child(date_of_birth=dt.date(2010, 3, 14), looked_after=True)
    assert case.end_date == dt.date(2027, 6, 1) and case.mappa == model.Mappa(category=2)
    assert case.assessments[0].completed_on == dt.date(2026, 6, 12)


def test_a_bad_cell_in_a_workbook_names_the_sheet(tmp_path):
    book = write_book(tmp_path / "extract.xlsx", {
        "Case List": [["Export of 20/11/2026"], [], CASES_HEADER, GOOD_CASE, ["C-2", dt.datetime(1900, 1, 1), "N", "Borstal", "01/06/2026", None, None]],
        "Assessments": [ASSESSMENTS_HEADER],
        "Plans": [PLANS_HEADER],
    })
    map_path = tmp_path / "map.toml"
    map_path.write_text(SMALL_MAP.replace('table = "Case List"', 'table = "Case List"\nheader_row = 3'), encoding="utf-8")
    result = load_paths([book], map_path=map_path)
    p = only(result.problems)
    assert (p.file, p.row, p.column, p.case_id) == (f"{book} [sheet Case List]", 5, "Order Type", "C-2")
    assert "'Borstal'" in p.message
    assert [c.case_id for c in result.caseload.cases] == ["C-1"]


def test_a_missing_sheet_lists_the_sheets(tmp_path):
    book = write_book(tmp_path / "extract.xlsx", {"Case List": [CASES_HEADER, GOOD_CASE], "Assessment": [ASSESSMENTS_HEADER], "Plans": [PLANS_HEADER]})
    map_path = tmp_path / "map.toml"
    map_path.write_text(SMALL_MAP, encoding="utf-8")
    problems = load_paths([book], map_path=map_path).problems
    p = only(problems, file=str(book))
    assert "'Assessments'" in p.message and "Assessment" in p.message


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "extract.xlsx"
    bad.write_bytes(b"not a zip")
    (tmp_path / "yos-audit-map.toml").write_text(SMALL_MAP, encoding="utf-8")
    p = only(load_paths([bad]).problems)
    assert p.file == str(bad) and p.level is ProblemLevel.ERROR


def test_an_old_xls_is_refused_with_what_to_do(tmp_path):
    old = tmp_path / "extract.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    p = only(load_paths([old]).problems)
    assert ".xlsx" in p.message


def test_without_openpyxl_the_message_says_what_to_install(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    p = only(load_paths([TABULAR / "caseload.xlsx"], map_path=EXAMPLE_MAP).problems)
    assert "openpyxl" in p.message and "yos-audit[xlsx]" in p.message


# -- no map: our own names ---------------------------------------------------------------------


def test_without_a_map_our_own_names_are_read(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    write_csv(folder / "cases.csv", [["case_id", "start_date", "child.sex"], ["C-1", "2026-06-01", "FEMALE"]])
    write_csv(folder / "contacts.csv", [["case_id", "date", "outcome"], ["C-1", "2026-06-02", "ATTENDED"]])
    result = load_paths([folder])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.child.sex is model.Sex.FEMALE
    assert case.contacts == (model.Contact(date=dt.date(2026, 6, 2), outcome=model.ContactOutcome.ATTENDED),)


def test_without_a_map_and_without_our_names_the_problem_says_to_write_one(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    write_csv(folder / "Case List.csv", [CASES_HEADER, GOOD_CASE])
    p = only(load_paths([folder]).problems)
    assert "--map" in p.message and "Case List.csv" in p.message


# -- the map's template and convert ------------------------------------------------------------


def test_the_template_is_a_map_of_every_table():
    colmap = parse_map(tomllib.loads(map_template()))
    assert {s.kind for s in colmap.sources} == {s.kind for s in default_map().sources}
    for source in colmap.sources:
        assert source.columns == {f: f for f in source.columns}  # our own names, to replace
        assert "case_id" in source.columns


def test_convert_writes_the_canonical_json(tmp_path, capsys):
    out = tmp_path / "caseload.json"
    assert main(["convert", str(TABULAR / "csv"), "-o", str(out)]) == 0
    again = load_paths([out])
    assert again.problems == ()
    assert again.caseload == load_paths([source_json()]).caseload
    assert json.loads(out.read_text(encoding="utf-8")) == caseload_document(again.caseload)
    assert "wrote" in capsys.readouterr().err


def test_convert_reports_problems_and_exits_2(tmp_path, capsys):
    folder = bundle(tmp_path, cases=[GOOD_CASE, ["C-2", "", "", "Borstal", "01/06/2026", "", ""]])
    out = tmp_path / "caseload.json"
    assert main(["convert", str(folder), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Case List.csv: row 3, column 'Order Type': case C-2" in err and "1 rejected" in err
    assert [c["case_id"] for c in json.loads(out.read_text(encoding="utf-8"))["cases"]] == ["C-1"]


def test_convert_never_overwrites_an_input(tmp_path, capsys):
    folder = bundle(tmp_path)
    before = {p: p.read_bytes() for p in folder.iterdir()}
    for target in (folder / "Case List.csv", folder / "yos-audit-map.toml"):
        assert main(["convert", str(folder), "-o", str(target)]) == 2
        assert "refusing" in capsys.readouterr().err
    given_map = tmp_path / "elsewhere.toml"
    given_map.write_text(SMALL_MAP, encoding="utf-8")
    assert main(["convert", str(folder), "--map", str(given_map), "-o", str(given_map)]) == 2
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    assert given_map.read_text(encoding="utf-8") == SMALL_MAP


def test_init_map_writes_a_starting_map(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--map"]) == 0
    written = tmp_path / "yos-audit-map.toml"
    assert parse_map(tomllib.loads(written.read_text(encoding="utf-8"))).of("cases")
    assert main(["init", "--map"]) == 2  # never over an existing map without --force
    assert main(["init", "--map", "other.toml"]) == 0 and (tmp_path / "other.toml").is_file()
    assert not (tmp_path / "yos-audit.toml").exists()


def test_validate_names_row_and_column(tmp_path, capsys):
    folder = bundle(tmp_path, assessments=[["C-1", "A1", "RoSH Screening", "12/13/2026", "", ""]])
    assert main(["validate", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "Assessments.csv: row 2, column 'Date Completed': case C-1: assessments[0].completed_on: error:" in out
    assert "'12/13/2026'" in out


# -- a round trip of generated caseloads -------------------------------------------------------

_plain_text = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters=";"),
    min_size=1, max_size=12,
).map(str.strip).filter(bool)
_ids = st.text(alphabet="ABCPRVX0123456789-", min_size=1, max_size=6)
_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
_maybe_dates = st.none() | _dates
_maybe_bool = st.none() | st.booleans()
_maybe_text = st.none() | _plain_text


def _maybe(enum):
    return st.none() | st.sampled_from(list(enum))


def _some(cls, **fields):
    """None, or a nested table with at least one field recorded (an all-empty one reads as absent)."""
    return st.none() | st.builds(cls, **fields).filter(lambda obj: obj != cls())


@st.composite
def cases(draw, case_id: str) -> model.Case:
    ids = iter(draw(st.lists(_ids, min_size=20, max_size=20, unique=True)))
    start = draw(_dates)
    later = st.none() | st.dates(min_value=start, max_value=dt.date(2041, 12, 31))
    some_ids = st.lists(_ids, max_size=3).map(tuple)
    return model.Case(
        case_id=case_id,
        start_date=start,
        ypid=draw(_maybe_text),
        child=draw(_some(model.Child, date_of_birth=_maybe_dates, sex=_maybe(model.Sex), ethnicity=_maybe_text,
                         looked_after=_maybe_bool, diversity_needs=st.lists(_plain_text, max_size=2).map(tuple))),
        case_manager=draw(_maybe_text),
        team=draw(_maybe_text),
        legal_outcome=draw(_maybe(model.LegalOutcome)),
        legal_outcome_group=draw(_maybe(model.OutcomeGroup)),
        end_date=draw(later),
        closed_on=draw(later),
        transferred_in_on=draw(_maybe_dates),
        intervention_level=draw(_maybe(model.InterventionLevel)),
        assessments=tuple(draw(st.lists(st.builds(
            model.Assessment, id=st.just(next(ids)), kind=st.sampled_from(list(model.AssessmentKind)),
            stage=_maybe(model.Stage), started_on=_maybe_dates, completed_on=_maybe_dates, level=_maybe(model.Level),
            full_analysis_required=_maybe_bool, victims_considered=_maybe_bool, self_assessment_used=_maybe_bool,
            learning_style_assessed=_maybe_bool, countersigned_by=_maybe_text, countersigned_on=_maybe_dates,
        ), max_size=1)) + [model.Assessment(id=next(ids), kind=model.AssessmentKind.CORE)] * draw(st.integers(0, 1))),
        plans=tuple(draw(st.lists(st.builds(
            model.Plan, id=st.just(next(ids)), kind=_maybe(model.PlanKind), created_on=_maybe_dates,
            countersigned_by=_maybe_text, countersigned_on=_maybe_dates, incorporates=some_ids,
            addresses=st.lists(st.sampled_from(list(model.Addresses)), max_size=3).map(tuple),
            child_involved=_maybe_bool, parent_involved=_maybe_bool, contact_level_recorded=_maybe_bool,
        ), max_size=1))),
        reviews=tuple(draw(st.lists(st.builds(
            model.Review, date=_dates, id=st.none() | st.just(next(ids)), reviews=some_ids, reason=_maybe(model.ReviewReason),
        ), max_size=1))),
        events=tuple(draw(st.lists(st.builds(
            model.Event, id=st.none() | st.just(next(ids)), date=_maybe_dates, kind=_maybe(model.EventKind), description=_maybe_text,
        ), max_size=1))),
        contacts=tuple(draw(st.lists(st.builds(
            model.Contact, date=_dates, kind=_maybe(model.ContactKind), outcome=_maybe(model.ContactOutcome), by=_maybe_text,
        ), max_size=3))),
        enforcement=tuple(draw(st.lists(st.builds(
            model.Enforcement, date=_maybe_dates, kind=_maybe(model.EnforcementKind), relates_to=_maybe_dates,
        ), max_size=2))),
        oversight=tuple(draw(st.lists(st.builds(
            model.Oversight, date=_maybe_dates, by=_maybe_text, subject=_maybe(model.OversightSubject),
            target=st.none() | _ids, note=_maybe_text,
        ), max_size=2))),
        mappa=draw(_some(model.Mappa, eligible=_maybe_bool, category=st.none() | st.integers(1, 3),
                         level=st.none() | st.integers(1, 3), notified_on=_maybe_dates, referred_on=_maybe_dates)),
        victims=tuple(draw(st.lists(st.builds(
            model.Victim, id=st.none() | st.just(next(ids)), identified_on=_maybe_dates, contact_offered_on=_maybe_dates,
            views_recorded=_maybe_bool, declined=_maybe_bool,
        ), max_size=1))),
        custody=draw(_some(model.Custody, secure_establishment_informed_on=_maybe_dates, release_on=_maybe_dates)),
    )


@st.composite
def caseloads(draw) -> model.Caseload:
    case_ids = draw(st.lists(_plain_text, min_size=1, max_size=3, unique=True))
    return model.Caseload(model.Service(name="Generated YJS", yot_code="G01", extracted_on=dt.date(2026, 11, 20)),
                          tuple(draw(cases(case_id)) for case_id in case_ids))


def _round_trip(caseload: model.Caseload, tmp: Path, target: str, map_path: Path | None, **kwargs) -> model.Caseload:
    colmap = read_map(map_path) if map_path else default_map()
    write_tables(caseload, colmap, tmp / target, **kwargs)
    result = load_paths([tmp / target], map_path=map_path)
    assert not result.errors, [str(p) for p in result.errors]
    return result.caseload


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(caseload=caseloads(), layout=st.sampled_from([(",", "utf-8-sig"), (";", "utf-8"), ("\t", "utf-16")]))
def test_round_trip_through_csv(tmp_path_factory, caseload, layout):
    tmp = tmp_path_factory.mktemp("rt")
    delimiter, encoding = layout
    back = _round_trip(caseload, tmp, "csv", EXAMPLE_MAP, delimiter=delimiter, encoding=encoding)
    assert back.cases == caseload.cases


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(caseload=caseloads(), excel_dates=st.booleans())
def test_round_trip_through_a_workbook(tmp_path_factory, caseload, excel_dates):
    tmp = tmp_path_factory.mktemp("rt")
    back = _round_trip(caseload, tmp, "book.xlsx", EXAMPLE_MAP, excel_dates=excel_dates)
    assert back.cases == caseload.cases


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(caseload=caseloads())
def test_round_trip_with_our_own_names_and_no_map(tmp_path_factory, caseload):
    tmp = tmp_path_factory.mktemp("rt")
    back = _round_trip(caseload, tmp, "csv", None)
    assert back.cases == caseload.cases


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(caseload=caseloads())
def test_canonical_json_round_trip(tmp_path_factory, caseload):
    out = tmp_path_factory.mktemp("rt") / "c.json"
    out.write_text(json.dumps(caseload_document(caseload)), encoding="utf-8")
    result = load_paths([out])
    assert not result.errors
    assert result.caseload == caseload


# -- several tables of one kind, fixed values, required fields left unmapped -------------------


def test_several_tables_of_one_kind_with_a_fixed_field(tmp_path):
    map_text = SMALL_MAP.split("[assessments]")[0] + '''
[[assessments]]
table = "RoSH Screenings"
fixed = { kind = "ROSH_SCREENING" }
columns = { case_id = "Case Ref", id = "Ref", completed_on = "Done" }

[[assessments]]
table = "Core"
fixed = { kind = "CORE", self_assessment_used = true }
columns = { case_id = "Case Ref", id = "Ref", completed_on = "Done" }
'''
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "yos-audit-map.toml").write_text(map_text, encoding="utf-8")
    write_csv(folder / "Case List.csv", [CASES_HEADER, GOOD_CASE])
    write_csv(folder / "RoSH Screenings.csv", [["Case Ref", "Ref", "Done"], ["C-1", "R1", "12/06/2026"]])
    write_csv(folder / "Core.csv", [["Case Ref", "Ref", "Done"], ["C-1", "K1", "13/06/2026"], ["C-1", "R1", ""]])
    result = load_paths([folder])
    assert result.caseload.cases == ()  # R1 twice: the case is rejected ...
    p = only(result.problems)
    assert (p.file, p.row, p.column) == (str(folder / "Core.csv"), 3, "Ref")
    assert f"also at {folder / 'RoSH Screenings.csv'} row 2" in p.message  # ... naming both rows
    write_csv(folder / "Core.csv", [["Case Ref", "Ref", "Done"], ["C-1", "K1", "13/06/2026"]])
    (case,) = load_paths([folder]).caseload.cases
    assert case.assessments == (
        model.Assessment(id="R1", kind=model.AssessmentKind.ROSH_SCREENING, completed_on=dt.date(2026, 6, 12)),
        model.Assessment(id="K1", kind=model.AssessmentKind.CORE, completed_on=dt.date(2026, 6, 13), self_assessment_used=True),
    )


def test_a_fixed_value_must_be_ours():
    text = SMALL_MAP.replace('[assessments]\ntable = "Assessments"', '[assessments]\ntable = "Assessments"\nfixed = { stage = "Begin" }')
    with pytest.raises(MapError, match="Begin"):
        parse_map(tomllib.loads(text))


def test_a_required_field_no_column_is_mapped_to(tmp_path):
    folder = bundle(tmp_path, map_text=SMALL_MAP.replace('kind = "Assessment Type"\n', ""))
    p = only(load_paths([folder]).problems)
    assert (p.row, p.field, p.column) == (2, "assessments[0].kind", None)
    assert "no column is mapped" in p.message and "[assessments]" in p.message


def test_an_empty_cases_table_is_reported(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "cases.csv").write_bytes(b"")
    result = load_paths([folder])
    p = only(result.problems)
    assert p.level is ProblemLevel.ERROR and p.file == str(folder / "cases.csv") and "empty" in p.message


def test_semicolons_under_a_title_and_an_excel_sep_line(tmp_path):
    plain = load_paths([bundle(tmp_path / "a")]).caseload
    map_text = SMALL_MAP.replace('table = "Case List"', 'table = "Case List"\nheader_row = 3')
    folder = bundle(tmp_path / "b", map_text=map_text, delimiter=";")
    cases = (folder / "Case List.csv").read_bytes()
    (folder / "Case List.csv").write_bytes(b"Extract of 20/11/2026, all open cases\r\n\r\n" + cases)
    (folder / "Plans.csv").write_bytes(b"sep=;\r\n" + (folder / "Plans.csv").read_bytes() + b"C-1;P1;Safeguarding\r\n")
    result = load_paths([folder])
    assert result.problems == ()
    assert result.caseload.cases[0].plans == (model.Plan(id="P1", addresses=(model.Addresses.SAFEGUARDING,)),)
    assert attrs_evolve(result.caseload.cases[0], plans=()) == plain.cases[0]


@pytest.mark.parametrize("target", ["csv", "book.xlsx"])
def test_text_that_looks_like_something_else_stays_text(tmp_path, target):
    tricky = ["=1+1", "+44 7700 900123", "-", "@home", "0123", "1e5", "TRUE", "2026-06-15", "15/06/2026",
              "Y", "line one\nline two", 'say "no"; then, go', "1900-01-01"]
    cases = tuple(
        model.Case(case_id=f"C-{i}", start_date=dt.date(2026, 6, 1), team=text, ypid=text,
                   events=(model.Event(id="E1", description=text),))
        for i, text in enumerate(tricky)
    )
    caseload = model.Caseload(model.Service(name="Example YJS"), cases)
    write_tables(caseload, read_map(EXAMPLE_MAP), tmp_path / target)
    result = load_paths([tmp_path / target], map_path=EXAMPLE_MAP)
    assert result.problems == ()
    assert result.caseload.cases == cases


def test_a_map_nested_too_deeply_is_a_clear_error(tmp_path):
    from rules.load.colmap import MapError, read_map

    path = tmp_path / "map.toml"
    path.write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(MapError) as exc:
        read_map(path)
    assert "not valid TOML: nested too deeply" in str(exc.value)


def test_a_workbook_without_openpyxl_says_how_to_install_it_installed_or_in_a_clone(monkeypatch, capsys):
    """The install line works whether yos-audit was installed from a package or runs from a clone."""
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # import openpyxl: ImportError
    code = main(["validate", str(TABULAR / "caseload.xlsx"), "--map", str(EXAMPLE_MAP)])
    said, summary = capsys.readouterr().out.splitlines()  # the problem on one line, then the count
    assert code == 2 and summary.startswith("0 cases loaded")
    assert said.startswith(f"{TABULAR / 'caseload.xlsx'}: error: reading a workbook needs openpyxl: pip install openpyxl ")
    assert "pip install 'yos-audit[xlsx]'" in said and "in a clone pip install -e '.[xlsx]'" in said
