"""Column maps of version 2 (issue 20): what a real extract needs, said in the map, read with no script.

One test (or a few) an item of the issue, on small hand-made extracts; the worked example that needs
all of them together is ``tests/test_casebook.py``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import openpyxl
import pytest

from rules import model
from rules.load import ProblemLevel, load_paths
from rules.load.colmap import MapError, parse_map, split_items

D = dt.date


def extract(tmp_path: Path, map_text: str, tables: dict[str, list[list[str]]], encoding: str = "utf-8") -> Path:
    """A folder of CSV files (cells joined by commas, quoted when they hold one) and its map."""
    folder = tmp_path / "extract"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "yos-audit-map.toml").write_text(map_text, encoding="utf-8")
    for name, rows in tables.items():
        lines = [",".join(f'"{c}"' if "," in c or '"' in c else c for c in (q.replace('"', '""') if '"' in q else q for q in row))
                 for row in rows]
        (folder / f"{name}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return folder


def only(problems, **wanted):
    found = [p for p in problems if all(getattr(p, k) == v for k, v in wanted.items())]
    assert len(found) == 1, f"wanted one problem with {wanted}, got: {[str(p) for p in problems]}"
    return found[0]


def case_of(result, case_id: str) -> model.Case:
    return next(c for c in result.caseload.cases if c.case_id == case_id)


EPISODES_MAP = """
version = 2
[service]
name = "Test YJS"
[read]
dates = ["%d/%m/%Y"]

[cases]
table = "Episodes"
[cases.columns]
case_id = ["Person ID", "Episode No"]
start_date = "Start"
closed_on = "Closed"

[assessments]
table = "Assessments"
[assessments.columns]
case_id = ["Person ID", "Episode No"]
id = "Ref"
kind = "Type"
completed_on = "Done"

[contacts]
table = "Contacts"
[contacts.columns]
person = "Person ID"
date = "Date"
outcome = "Attendance"
"""

EPISODES = [["Person ID", "Episode No", "Start", "Closed"],
            ["P1", "1", "01/02/2025", "30/06/2025"],
            ["P1", "2", "01/09/2025", ""],
            ["P2", "1", "01/03/2026", ""]]


# -- 1. a case key over several columns; records placed by person and date --------------------


def test_a_child_with_two_orders_is_two_cases_each_with_its_own_records(tmp_path):
    folder = extract(tmp_path, EPISODES_MAP, {
        "Episodes": EPISODES,
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"],
                        ["P1", "2", "A1", "CORE", "10/09/2025"], ["P1", "1", "A1", "CORE", "10/02/2025"]],
        "Contacts": [["Person ID", "Date", "Attendance"],
                     ["P1", "03/03/2025", "Attended"], ["P1", "30/06/2025", "Attended"],  # the first order, its last day
                     ["P1", "02/09/2025", "Unacceptable Absence"], ["P2", "02/03/2026", "Attended"]],
    })
    result = load_paths([folder])
    assert result.problems == () and result.rejected == 0
    assert [c.case_id for c in result.caseload.cases] == ["P1/1", "P1/2", "P2/1"]
    first, second = case_of(result, "P1/1"), case_of(result, "P1/2")
    assert first.assessments == (model.Assessment(id="A1", kind=model.AssessmentKind.CORE, completed_on=D(2025, 2, 10)),)
    assert second.assessments == (model.Assessment(id="A1", kind=model.AssessmentKind.CORE, completed_on=D(2025, 9, 10)),)
    assert [x.date for x in first.contacts] == [D(2025, 3, 3), D(2025, 6, 30)]
    assert [x.date for x in second.contacts] == [D(2025, 9, 2)]
    assert case_of(result, "P2/1").contacts[0].date == D(2026, 3, 2)


def test_a_record_in_no_order_is_reported_and_not_read(tmp_path):
    folder = extract(tmp_path, EPISODES_MAP, {
        "Episodes": EPISODES,
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"],
                     ["P1", "15/07/2025", "Attended"],  # between the two orders
                     ["P9", "15/07/2025", "Attended"]],  # a person with no case
    })
    result = load_paths([folder])
    gap = only(result.problems, row=2)
    assert gap.level is ProblemLevel.WARNING and gap.column == "Person ID" and gap.file.endswith("Contacts.csv")
    assert "2025-07-15" in gap.message and "falls in no case of person 'P1'" in gap.message
    assert "P1/1 2025-02-01 to 2025-06-30" in gap.message and "P1/2 from 2025-09-01" in gap.message
    nobody = only(result.problems, row=3)
    assert "'P9' has no case" in nobody.message
    assert all(c.contacts == () for c in result.caseload.cases) and result.rejected == 0


def test_a_record_in_two_orders_goes_to_the_later_and_says_so(tmp_path):
    episodes = [EPISODES[0], ["P1", "1", "01/02/2025", ""], ["P1", "2", "01/09/2025", ""]]  # both still open
    folder = extract(tmp_path, EPISODES_MAP, {
        "Episodes": episodes,
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"], ["P1", "02/10/2025", "Attended"]],
    })
    result = load_paths([folder])
    p = only(result.problems)
    assert p.level is ProblemLevel.WARNING and p.case_id == "P1/2" and "P1/1, P1/2" in p.message
    assert case_of(result, "P1/2").contacts and not case_of(result, "P1/1").contacts


def test_a_record_with_a_bad_date_cannot_be_placed(tmp_path):
    folder = extract(tmp_path, EPISODES_MAP, {
        "Episodes": EPISODES,
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"], ["P1", "31/02/2025", "Attended"]],
    })
    result = load_paths([folder])
    p = only(result.problems)
    assert (p.level, p.row, p.column) == (ProblemLevel.ERROR, 2, "Date")
    assert "'31/02/2025'" in p.message and "cannot be placed" in p.message


def test_a_key_with_a_part_missing_and_a_duplicate_key(tmp_path):
    folder = extract(tmp_path, EPISODES_MAP, {
        "Episodes": [*EPISODES, ["P2", "", "01/03/2026", ""], ["P2", "1", "05/03/2026", ""]],
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"]],
    })
    result = load_paths([folder])
    part = only(result.problems, row=5)
    assert part.column == "Episode No" and "'Person ID' + 'Episode No'" in part.message
    twice = only(result.problems, row=6)
    assert "duplicate case id 'P2/1' (also at row 4)" in twice.message
    assert result.rejected == 2 and len(result.caseload.cases) == 3


def test_the_key_of_every_table_has_the_cases_width():
    text = EPISODES_MAP.replace('case_id = ["Person ID", "Episode No"]\nid = "Ref"', 'case_id = "Person ID"\nid = "Ref"')
    with pytest.raises(MapError, match=r"\[assessments\] columns: case_id names 1 column, but the case key .* person"):
        parse_map(tomllib.loads(text))


def test_attach_by_names_the_date_that_places_a_record(tmp_path):
    text = EPISODES_MAP.replace('[assessments.columns]\ncase_id = ["Person ID", "Episode No"]',
                                '[assessments.columns]\nperson = "Person ID"\nstarted_on = "Began"')
    text = text.replace('table = "Assessments"', 'table = "Assessments"\nattach_by = "started_on"')
    folder = extract(tmp_path, text, {
        "Episodes": EPISODES,
        "Assessments": [["Person ID", "Ref", "Type", "Began", "Done"], ["P1", "A1", "CORE", "25/06/2025", "02/09/2025"]],
        "Contacts": [["Person ID", "Date", "Attendance"]],
    })
    result = load_paths([folder])
    assert result.problems == ()
    assert case_of(result, "P1/1").assessments[0].id == "A1"  # started in the first order, completed after it
    with pytest.raises(MapError, match="attach_by must be a date field of assessments"):
        parse_map(tomllib.loads(text.replace('attach_by = "started_on"', 'attach_by = "kind"')))


# -- 2. child details from a person table ------------------------------------------------------

PERSON_MAP = EPISODES_MAP + """
[person]
table = "People"
[person.columns]
person = "Person ID"
ypid = "YJ Ref"
child.date_of_birth = "DOB"
child.sex = "Gender"
child.looked_after = "Looked After"
"""


def test_child_details_come_from_the_person_table(tmp_path):
    folder = extract(tmp_path, PERSON_MAP, {
        "Episodes": EPISODES,
        "People": [["Person ID", "YJ Ref", "DOB", "Gender", "Looked After"],
                   ["P1", "YP-1", "14/03/2010", "Female", "Y"], ["P2", "YP-2", "", "Male", ""]],
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"]],
    })
    result = load_paths([folder])
    assert result.problems == ()
    for case_id in ("P1/1", "P1/2"):
        case = case_of(result, case_id)
        assert case.ypid == "YP-1"
        assert case.child == model.Child(date_of_birth=D(2010, 3, 14), sex=model.Sex.FEMALE, looked_after=True)
    assert case_of(result, "P2/1").child == model.Child(sex=model.Sex.MALE)
    # a problem the export's checks find in the child's details is told at the person table's row
    (folder / "yos-audit-map.toml").write_text(PERSON_MAP.replace('name = "Test YJS"', 'name = "Test YJS"\nextracted_on = 2026-11-20'))
    (folder / "People.csv").write_text("Person ID,YJ Ref,DOB,Gender,Looked After\r\nP1,YP-1,14/03/2030,Female,Y\r\n")
    later = [p for p in load_paths([folder]).problems if p.field == "child.date_of_birth"]
    assert {p.case_id for p in later} == {"P1/1", "P1/2"}
    assert all((p.file, p.row, p.column) == (str(folder / "People.csv"), 2, "DOB") for p in later), [str(p) for p in later]


def test_child_details_from_both_tables_are_kept(tmp_path):
    text = PERSON_MAP.replace('closed_on = "Closed"', 'closed_on = "Closed"\nchild.ethnicity = "Ethnicity"')
    folder = extract(tmp_path, text, {
        "Episodes": [[*EPISODES[0], "Ethnicity"], [*EPISODES[1], "White British"]],
        "People": [["Person ID", "YJ Ref", "DOB", "Gender", "Looked After"], ["P1", "YP-1", "", "Female", ""]],
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"]],
    })
    (case,) = load_paths([folder]).caseload.cases
    assert case.child == model.Child(sex=model.Sex.FEMALE, ethnicity="White British")


def test_person_table_problems_name_its_rows(tmp_path):
    folder = extract(tmp_path, PERSON_MAP, {
        "Episodes": EPISODES,
        "People": [["Person ID", "YJ Ref", "DOB", "Gender", "Looked After"],
                   ["P1", "YP-1", "14/03/2010", "Femail", "Y"], ["P1", "YP-1", "", "", ""]],
        "Assessments": [["Person ID", "Episode No", "Ref", "Type", "Done"]],
        "Contacts": [["Person ID", "Date", "Attendance"]],
    })
    result = load_paths([folder])
    bad = [p for p in result.problems if p.row == 2]
    assert {p.case_id for p in bad} == {"P1/1", "P1/2"}  # the person's every case, which are not audited
    assert all(p.file.endswith("People.csv") and p.column == "Gender" and p.field == "child.sex" for p in bad)
    assert "'Femail'" in bad[0].message
    twice = only(result.problems, row=3)
    assert "person 'P1' twice (also at row 2)" in twice.message
    missing = only(result.problems, case_id="P2/1")
    assert missing.level is ProblemLevel.WARNING and "'P2' is not in the person table" in missing.message
    assert [c.case_id for c in result.caseload.cases] == ["P2/1"]


def test_a_field_read_from_both_tables_is_a_map_mistake():
    text = PERSON_MAP.replace('closed_on = "Closed"', 'closed_on = "Closed"\nchild.sex = "Sex"')
    with pytest.raises(MapError, match=r"\[person\] columns: child.sex is also read from \[cases\]"):
        parse_map(tomllib.loads(text))


# -- 3. wide to long: tick boxes into one list ---------------------------------------------------

TICKS_MAP = """
version = 2
[cases]
table = "Cases"
[cases.columns]
case_id = "Ref"
start_date = "Start"
child.diversity_needs = { ticked = { "SEN" = "special educational needs", "LD" = "learning disability", "EAL" = "English as an additional language" } }
[plans]
table = "Plans"
[plans.columns]
case_id = "Ref"
id = "Plan"
addresses = { ticked = { "RoH" = "RISK_OF_HARM", "Safe" = "Safeguarding" } }
"""


def test_tick_box_columns_become_one_list(tmp_path):
    folder = extract(tmp_path, TICKS_MAP, {
        "Cases": [["Ref", "Start", "EAL", "SEN", "LD"], ["C-1", "2026-06-01", "Y", "", "yes"], ["C-2", "2026-06-01", "N", "", ""]],
        "Plans": [["Ref", "Plan", "RoH", "Safe"], ["C-1", "P1", "TRUE", "1"]],
    })
    result = load_paths([folder])
    assert result.problems == ()
    one, two = result.caseload.cases
    assert one.child.diversity_needs == ("learning disability", "English as an additional language")  # the map's order
    assert two.child is None  # nothing ticked: nothing recorded
    assert one.plans[0].addresses == (model.Addresses.RISK_OF_HARM, model.Addresses.SAFEGUARDING)


def test_a_tick_that_is_neither_yes_nor_no_names_its_column(tmp_path):
    folder = extract(tmp_path, TICKS_MAP, {
        "Cases": [["Ref", "Start", "EAL", "SEN", "LD"], ["C-1", "2026-06-01", "Y", "maybe", ""]],
        "Plans": [["Ref", "Plan", "RoH", "Safe"]],
    })
    p = only(load_paths([folder]).problems)
    assert (p.column, p.field, p.case_id) == ("SEN", "child.diversity_needs", "C-1") and "'maybe'" in p.message


def test_ticked_is_for_list_fields_and_items_are_ours():
    with pytest.raises(MapError, match="start_date is not a list: ticked"):
        parse_map(tomllib.loads(TICKS_MAP.replace('start_date = "Start"', 'start_date = { ticked = { "S" = "x" } }')))
    with pytest.raises(MapError, match="'Safe' = 'SAFE': not one of our codes"):
        parse_map(tomllib.loads(TICKS_MAP.replace('"Safe" = "Safeguarding"', '"Safe" = "SAFE"')))


# -- 4. values that mean "not recorded" ----------------------------------------------------------

NOT_SET_MAP = """
version = 2
[read]
dates = ["%d/%m/%Y"]
not_recorded = ["Not Set", "Unknown", "N/K"]
[cases]
table = "Cases"
[cases.columns]
case_id = "Ref"
start_date = "Start"
end_date = "End"
child.sex = "Sex"
child.looked_after = "LAC"
child.ethnicity = "Ethnicity"
intervention_level = "Level"
mappa.level = "MAPPA Level"
[cases.codes."child.sex"]
"Unknown" = "NOT_KNOWN"             # a line of codes wins over not_recorded
[plans]
table = "Plans"
[plans.columns]
case_id = "Ref"
id = "Plan"
addresses = "Areas"
"""


def test_not_recorded_words_read_as_absent_in_any_field(tmp_path):
    folder = extract(tmp_path, NOT_SET_MAP, {
        "Cases": [["Ref", "Start", "End", "Sex", "LAC", "Ethnicity", "Level", "MAPPA Level"],
                  ["C-1", "01/06/2026", "Not Set", "Unknown", "n/k", "NOT SET", "Not  Set", "N/K"]],
        "Plans": [["Ref", "Plan", "Areas"], ["C-1", "P1", "Safeguarding; Not Set"]],
    })
    result = load_paths([folder])
    assert result.problems == ()
    (case,) = result.caseload.cases
    assert case.end_date is None and case.intervention_level is None and case.mappa is None
    assert case.child == model.Child(sex=model.Sex.NOT_KNOWN)
    assert case.plans[0].addresses == (model.Addresses.SAFEGUARDING,)


@pytest.mark.parametrize("version", [1, 2])
def test_the_message_for_an_unknown_value_suggests_a_line_that_works(tmp_path, version):
    text = NOT_SET_MAP.replace('not_recorded = ["Not Set", "Unknown", "N/K"]\n', "")
    if version == 1:
        text = text.replace("version = 2\n", "").replace('"Unknown" = "NOT_KNOWN"             # a line of codes wins over not_recorded\n', "")
    cases = [["Ref", "Start", "End", "Sex", "LAC", "Ethnicity", "Level", "MAPPA Level"],
             ["C-1", "01/06/2026", "Not Set", "", "Not Set", "", "Not Set", ""]]
    folder = extract(tmp_path, text, {"Cases": cases, "Plans": [["Ref", "Plan", "Areas"]]})
    problems = load_paths([folder]).problems
    assert {p.column for p in problems} == {"End", "LAC", "Level"}
    for p in problems:
        assert 'not_recorded = ["Not Set"] under [read]' in p.message, p.message
        assert ("version = 2 at the top of the map" in p.message) is (version == 1)
    level = only(problems, column="Level")  # a word for nothing: the line that says so comes first
    assert level.message.startswith("unknown code 'Not Set' (if it means not recorded: ")
    assert "[cases.codes.intervention_level]" in level.message and '"Not Set" = "' not in level.message
    # the line it suggests, written in the map, reads the table
    fixed = text.replace("[read]\n", '[read]\nnot_recorded = ["Not Set"]\n')
    if version == 1:
        fixed = "version = 2\n" + fixed
    (folder / "yos-audit-map.toml").write_text(fixed, encoding="utf-8")
    assert load_paths([folder]).problems == ()


def test_an_unknown_code_suggests_the_nearest_code(tmp_path):
    cases = [["Ref", "Start", "End", "Sex", "LAC", "Ethnicity", "Level", "MAPPA Level"],
             ["C-1", "01/06/2026", "", "", "", "", "Enhancd", ""]]
    folder = extract(tmp_path, NOT_SET_MAP, {"Cases": cases, "Plans": [["Ref", "Plan", "Areas"]]})
    p = only(load_paths([folder]).problems)
    assert 'such as "Enhancd" = "ENHANCED"' in p.message and "[cases.codes.intervention_level]" in p.message


# -- 5. rows that are not data; 6. options said once -----------------------------------------------

TITLED_MAP = """
version = 2
[read]
dates = ["%d/%m/%Y"]
skip = ["Total*", "Page * of *"]
[cases]
table = "Cases"
[cases.columns]
case_id = "Case Ref"
start_date = "Start"
[contacts]
table = "Contacts"
[contacts.columns]
case_id = "Case Ref"
date = "Date"
"""


def test_title_rows_totals_and_footers_are_not_data(tmp_path):
    folder = extract(tmp_path, TITLED_MAP, {
        "Cases": [["Open cases, Riverside YJS"], ["Run 20/11/2026"], [], ["Case Ref", "Start"],
                  ["C-1", "01/06/2026"], ["C-2", "02/06/2026"], ["Total", "2"], ["Page 1 of 1"]],
        "Contacts": [["Contact log"], ["Case Ref", "Date"], ["C-1", "03/06/2026"], ["Total", "1"],
                     [], ["Printed by svc-reports, 20/11/2026"]],
    })
    result = load_paths([folder])
    assert [c.case_id for c in result.caseload.cases] == ["C-1", "C-2"]  # no phantom case "Total"
    assert result.rejected == 0 and not result.errors
    cases_note = only(result.problems, file=str(folder / "Cases.csv"))
    assert cases_note.level is ProblemLevel.WARNING and cases_note.row == 7
    assert "row 7 'Total' (skip 'Total*')" in cases_note.message and "row 8 'Page 1 of 1' (skip 'Page * of *')" in cases_note.message
    footer = only(result.problems, file=str(folder / "Contacts.csv"))
    assert "row 6 'Printed by svc-reports, 20/11/2026' (below the last row with a case id and data)" in footer.message
    assert case_of(result, "C-1").contacts == (model.Contact(date=D(2026, 6, 3)),)


def test_many_key_less_rows_at_the_end_are_data_without_keys(tmp_path):
    rows = [["Case Ref", "Start"], ["C-1", "01/06/2026"], *[["", "02/06/2026"]] * 11]
    folder = extract(tmp_path, TITLED_MAP, {"Cases": rows, "Contacts": [["Case Ref", "Date"]]})
    result = load_paths([folder])
    assert len(result.errors) == 11 and all("no case id" in p.message for p in result.errors)


def test_read_options_apply_to_every_table_and_a_table_may_say_otherwise(tmp_path):
    text = TITLED_MAP.replace('skip = ["Total*", "Page * of *"]', 'header_row = 2\nnot_recorded = ["-"]')
    text = text.replace('[contacts]\ntable = "Contacts"', '[contacts]\ntable = "Contacts"\nheader_row = 1\ndates = ["%Y%m%d"]\nnot_recorded = []')
    text = text.replace('date = "Date"', 'date = "Date"\nkind = "Kind"')
    folder = extract(tmp_path, text, {
        "Cases": [["Cases"], ["Case Ref", "Start"], ["C-1", "01/06/2026"], ["C-2", "-"]],
        "Contacts": [["Case Ref", "Date", "Kind"], ["C-1", "20260603", "-"]],
    })
    result = load_paths([folder])
    required = only(result.problems, row=4)  # "-" reads as not recorded: a required date is missing
    assert required.column == "Start" and "required" in required.message
    kind = only(result.problems, row=2)  # the contacts table says "-" is a value: not one of ours
    assert kind.column == "Kind" and "'-'" in kind.message
    with pytest.raises(MapError, match="header_row must be a row number"):
        parse_map(tomllib.loads(text.replace("header_row = 2", "header_row = 0")))


def test_a_workbook_sheet_with_a_title_block(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Cases")
    for row in (["Open cases"], [None], ["Case Ref", "Start"], ["C-1", dt.datetime(2026, 6, 1)], ["Total", 1]):
        sheet.append(row)
    book.create_sheet("Contacts").append(["Case Ref", "Date"])
    book.save(tmp_path / "x.xlsx")
    (tmp_path / "yos-audit-map.toml").write_text(TITLED_MAP, encoding="utf-8")
    result = load_paths([tmp_path / "x.xlsx"])
    assert [c.case_id for c in result.caseload.cases] == ["C-1"] and not result.errors
    assert "row 5 'Total'" in only(result.problems).message


# -- 7. record ids that do not depend on row order ---------------------------------------------

ORDER_MAP = """
version = 2
[cases]
table = "Cases"
[cases.columns]
case_id = "Ref"
start_date = "Start"
[contacts]
table = "Contacts"
[contacts.columns]
case_id = "Ref"
id = "Contact ID"
date = "Date"
outcome = "Outcome"
[enforcement]
table = "Enforcement"
[enforcement.columns]
case_id = "Ref"
date = "Date"
kind = "Action"
"""


def test_same_day_records_are_ordered_by_the_systems_id_or_their_content(tmp_path):
    contacts = [["C-1", "CT10", "2026-07-01", "UNACCEPTABLE_ABSENCE"], ["C-1", "CT9", "2026-07-01", "ATTENDED"],
                ["C-1", "CT11", "2026-06-20", "ATTENDED"]]
    enforcement = [["C-1", "2026-07-02", "WARNING"], ["C-1", "2026-07-02", "BREACH"]]
    loaded = []
    for rows in ((contacts, enforcement), (contacts[::-1], enforcement[::-1])):
        folder = extract(tmp_path / str(len(loaded)), ORDER_MAP, {
            "Cases": [["Ref", "Start"], ["C-1", "2026-06-01"]],
            "Contacts": [["Ref", "Contact ID", "Date", "Outcome"], *rows[0]],
            "Enforcement": [["Ref", "Date", "Action"], *rows[1]],
        })
        result = load_paths([folder])
        assert result.problems == ()
        loaded.append(result.caseload.cases[0])
    assert loaded[0] == loaded[1]
    case = loaded[0]
    assert [(x.date, x.outcome) for x in case.contacts] == [  # by date, then CT9 before CT10 (as numbers)
        (D(2026, 6, 20), model.ContactOutcome.ATTENDED), (D(2026, 7, 1), model.ContactOutcome.ATTENDED),
        (D(2026, 7, 1), model.ContactOutcome.UNACCEPTABLE_ABSENCE)]
    assert [x.kind for x in case.enforcement] == [model.EnforcementKind.BREACH, model.EnforcementKind.WARNING]


def test_a_version_1_map_keeps_the_rows_order(tmp_path):
    text = ORDER_MAP.replace("version = 2\n", "").replace('id = "Contact ID"\n', "")
    folder = extract(tmp_path, text, {
        "Cases": [["Ref", "Start"], ["C-1", "2026-06-01"]],
        "Contacts": [["Ref", "Date", "Outcome"], ["C-1", "2026-07-01", "UNACCEPTABLE_ABSENCE"], ["C-1", "2026-06-20", "ATTENDED"]],
        "Enforcement": [["Ref", "Date", "Action"]],
    })
    (case,) = load_paths([folder]).caseload.cases
    assert [x.date for x in case.contacts] == [D(2026, 7, 1), D(2026, 6, 20)]


def test_an_id_for_contacts_is_a_version_2_key():
    with pytest.raises(MapError, match="'id' is not a field of contacts"):
        parse_map(tomllib.loads(ORDER_MAP.replace("version = 2\n", "")))


# -- 8. a name from two columns --------------------------------------------------------------------

NAMES_MAP = """
version = 2
[cases]
table = "Cases"
[cases.columns]
case_id = "Ref"
start_date = "Start"
case_manager = { format = "{Worker Forename} {Worker Surname}" }
team = { format = "{Team}, {Office}" }
"""


def test_a_name_from_two_columns(tmp_path):
    folder = extract(tmp_path, NAMES_MAP, {"Cases": [
        ["Ref", "Start", "Worker Surname", "Worker Forename", "Team", "Office"],
        ["C-1", "2026-06-01", "O’Connor", "Siobhán", "North", "Riverside"],
        ["C-2", "2026-06-01", "Laurent", "", "", "Riverside"],
        ["C-3", "2026-06-01", "", "", "", ""],
    ]})
    result = load_paths([folder])
    assert result.problems == ()
    assert [(c.case_manager, c.team) for c in result.caseload.cases] == [
        ("Siobhán O’Connor", "North, Riverside"), ("Laurent", "Riverside"), (None, None)]


def test_a_format_names_columns_that_must_be_there(tmp_path):
    folder = extract(tmp_path, NAMES_MAP, {"Cases": [["Ref", "Start", "Worker Surname", "Forename", "Team", "Office"],
                                                     ["C-1", "2026-06-01", "Laurent", "Amélie", "North", "Riverside"]]})
    p = only(load_paths([folder]).problems)
    assert p.column == "Worker Forename" and "mapped to case_manager" in p.message
    with pytest.raises(MapError, match="start_date is not text: format"):
        parse_map(tomllib.loads(NAMES_MAP.replace('start_date = "Start"', 'start_date = { format = "{A}" }')))


# -- 9. list items that hold the separator ----------------------------------------------------------

LISTS_MAP = """
version = 2
[read]
separator = ","
[cases]
table = "Cases"
[cases.columns]
case_id = "Ref"
start_date = "Start"
child.diversity_needs = "Needs"
[reviews]
table = "Reviews"
[reviews.columns]
case_id = "Ref"
date = "Date"
reviews = { column = "Reviewed", separator = " | " }
"""


def test_quoted_items_and_a_separator_for_one_field(tmp_path):
    folder = extract(tmp_path, LISTS_MAP, {
        "Cases": [["Ref", "Start", "Needs"],
                  ["C-1", "2026-06-01", '"speech, language and communication needs", SEN, "a ""quoted"" one"']],
        "Reviews": [["Ref", "Date", "Reviewed"], ["C-1", "2026-07-01", "A1, first | P2"]],
    })
    result = load_paths([folder])
    assert not result.errors and all("names no record of this case" in p.message for p in result.problems)
    (case,) = result.caseload.cases
    assert case.child.diversity_needs == ("speech, language and communication needs", "SEN", 'a "quoted" one')
    assert case.reviews[0].reviews == ("A1, first", "P2")


def test_split_items():
    assert split_items('a; "b; c" ;d', ";") == ["a", "b; c", "d"]
    assert split_items('say "no"; then', ";") == ['say "no"', "then"]  # a quote inside an item is the item's
    assert split_items("", ";") == [] and split_items(" ; ", ";") == []


def test_a_separator_is_for_list_fields():
    with pytest.raises(MapError, match="start_date is not a list: separator"):
        parse_map(tomllib.loads(LISTS_MAP.replace('start_date = "Start"', 'start_date = { column = "Start", separator = "|" }')))


# -- 10. a missing column: every column of the table, and the nearest -------------------------------


def test_a_missing_column_lists_every_column_and_the_nearest(tmp_path):
    header = ["Ref", "Start", *[f"Extra {i}" for i in range(14)], "Date Of Birth"]
    text = NOT_SET_MAP.replace('child.sex = "Sex"\n', 'child.sex = "Sex"\nchild.date_of_birth = "Date of Brith"\n')
    folder = extract(tmp_path, text, {"Cases": [header, ["C-1", "01/06/2026", *[""] * 15]], "Plans": [["Ref", "Plan", "Areas"]]})
    p = only(load_paths([folder]).problems, column="Date of Brith")
    assert "(did you mean 'Date Of Birth'?)" in p.message
    assert all(repr(h) in p.message for h in header) and "..." not in p.message


# -- the map's own mistakes --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ('version = 3\n[cases]\ntable = "C"\ncolumns = { case_id = "R" }', "version must be 1 or 2"),
    ('[read]\nskip = ["Total*"]\n[cases]\ntable = "C"\ncolumns = { case_id = "R" }', "skip: a key of version 2 maps"),
    ('[person]\ntable = "P"\n[cases]\ntable = "C"\ncolumns = { case_id = "R" }', "[person] is a table of version 2 maps"),
    ('[cases]\ntable = "C"\ncolumns = { case_id = ["A", "B"] }', "case_id must name a column, as text"),
    ('version = 2\n[cases]\ntable = "C"\ncolumns = { case_id = ["A", "a"] }', "case_id names a column twice"),
    ('version = 2\n[cases]\ntable = "C"\ncolumns = { case_id = "R", team = ["A", "B"] }', "a list of columns is only for case_id"),
    ('version = 2\n[cases]\ntable = "C"\ncolumns = { case_id = "R", person = "P" }\n[person]\ntable = "P"\ncolumns = { ypid = "Y" }',
     "[person] columns must name the person id column"),
    ('version = 2\n[cases]\ntable = "C"\ncolumns = { case_id = "R" }\n[contacts]\ntable = "K"\ncolumns = { person = "P", date = "D" }',
     "[contacts] places its rows by person, but [cases] names no person column"),
])
def test_map_mistakes_of_version_2(text, message):
    with pytest.raises(MapError) as exc:
        parse_map(tomllib.loads(text))
    assert message in str(exc.value)
