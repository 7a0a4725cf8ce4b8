"""Write the second worked example: "Casebook", an invented case management system, as it exports.

    .venv/bin/python examples/tabular/casebook/make_casebook.py [SOURCE.json] [--to FOLDER]

From a JSON caseload (default ``examples/caseload.json``, or the output of ``yos-audit demo``) it makes
the caseload a service on Casebook would hold, and writes it twice:

- ``caseload.json``: that caseload as the case export (what the tables must read back to);
- ``csv/``: the report extracts, one CSV file a table, and ``casebook.xlsx``: the same as the sheets of
  one workbook.

Casebook's caseload is the source's, changed as a real extract would be: each child is a person
(``P10001``) and each order an episode of that person, so a case is a person and an episode
(``P10001/2``) and some children have two; staff have names (with accents and both apostrophes);
the child's details live in a person table, their diversity needs as seven tick boxes.

Casebook's extracts are written the way such systems write them: Windows-1252, a title block above
each table's column names and a totals row and a footer below it; codes as words ("Youth
Rehabilitation Order", "Not Set"); the case manager as surname and forename columns; contacts with
their own ids and no episode (each contact goes to the episode whose dates hold it); dates as
15/06/2026 (contacts with a time). ``yos-audit-map.toml`` beside this script reads them with no
script in between; ``tests/test_casebook.py`` checks that the CSV files, the workbook and
``caseload.json`` give the same findings.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_SOURCE = ROOT / "examples" / "caseload.json"

SERVICE = {"name": "Riverside Youth Justice Service (synthetic)", "yot_code": "R42"}
RUN = "Run 20/11/2026 07:15 by svc-reports"

#: staff codes of the source -> invented names (forename, surname)
STAFF = {
    "CM-North-01": ("Siobhán", "O’Connor"),
    "CM-North-02": ("Dáithí", "Ó Briain"),
    "CM-North-03": ("Zoë", "D'Souza"),
    "CM-North-04": ("Amélie", "Laurent"),
    "CM-South-01": ("Chidi", "Okonkwo"),
    "CM-South-02": ("Renée", "O’Brien"),
    "CM-South-03": ("Gwenllian", "Prys-Jones"),
    "CM-South-04": ("Tomasz", "Wójcik"),
    "TM-North-1": ("Bernadette", "Ní Fhearghail"),
    "TM-North-2": ("Marcus", "Green"),
    "TM-South-1": ("Noémie", "Durand"),
    "TM-South-2": ("Kwame", "Mensah"),
}
TEAMS = {"North": "North Locality", "South": "South Locality"}

#: the seven tick boxes of the person table: column -> the diversity need it stands for
TICKS = {
    "SEN": "special educational needs",
    "Learning Disability": "learning disability",
    "SLCN": "speech, language and communication needs",
    "Care Experienced": "care experienced",
    "Young Parent": "young parent",
    "EAL": "English as an additional language",
    "Traveller Heritage": "Traveller heritage",
}

# our codes -> Casebook's words (a code missing here is written in words: REFERRAL_ORDER -> "Referral Order")
WORDS = {
    "legal_outcome": {"SECTION_250": "Section 250 Detention", "COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT": "Community Resolution"},
    "assessments.kind": {"CORE": "AssetPlus Core", "ROSH_SCREENING": "RoSH Screening", "ROSH_FULL": "RoSH Full Analysis",
                         "VULNERABILITY_SCREENING": "Safety & Wellbeing Screening",
                         "VULNERABILITY_FULL": "Safety & Wellbeing Full"},
    "assessments.stage": {"PSR": "Pre-Sentence Report"},
    "assessments.level": {"VERY_HIGH": "Very High"},
    "plans.addresses": {"LIKELIHOOD_OF_REOFFENDING": "Reoffending"},
    "events.kind": {"RELEASE": "Release from Custody"},
    "contacts.kind": {"OFFICE": "Office Appointment", "PHONE": "Telephone", "VIDEO": "Video Call",
                      "INTERVENTION": "Intervention Session"},
    "enforcement.kind": {"WARNING": "Warning Letter"},
    "oversight.subject": {"ROSH": "RoSH"},
}

#: what Casebook writes for a value never set, by column
NOT_SET = "Not Set"


def words(field: str, code: str | None) -> str:
    if code is None:
        return NOT_SET
    return WORDS.get(field, {}).get(code) or code.replace("_", " ").title().replace(" And ", " and ").replace(" Of ", " of ")


# -- the caseload Casebook holds ------------------------------------------------------------------


def _span(case: dict) -> tuple[str, str]:
    return case["start_date"], case.get("closed_on") or "9999-12-31"


def _by_person_dates(case: dict) -> list[str]:
    """The dates that place a case's contacts, enforcement and oversight (tables with no episode)."""
    out = [x["date"] for x in case.get("contacts", ())]
    out += [x["date"] for key in ("enforcement", "oversight") for x in case.get(key, ()) if x.get("date")]
    return out


def _fits(case: dict) -> bool:
    """A case that can share its child with another: every contact, enforcement and oversight record
    dated, within the case's dates."""
    start, end = _span(case)
    undated = any(not x.get("date") for key in ("enforcement", "oversight") for x in case.get(key, ()))
    return not undated and all(start <= d <= end for d in _by_person_dates(case))


def _within(case: dict) -> None:
    """Casebook has no episode on contacts, enforcement and oversight: one dated outside the case's
    dates belongs to none of the child's cases (the map's reading reports it), so it is left out."""
    start, end = _span(case)
    for key in ("contacts", "enforcement", "oversight"):
        if key in case:
            case[key] = [x for x in case[key] if not x.get("date") or start <= x["date"] <= end]


def people(cases: list[dict], pairs: int = 6) -> list[list[dict]]:
    """The cases grouped by child: most alone, ``pairs`` children with two orders one after the other."""
    alone = [c for c in cases if _fits(c)]
    left = {id(c) for c in alone}
    groups: dict[int, list[dict]] = {}
    made = 0
    for first in alone:
        if made == pairs:
            break
        if id(first) not in left or not first.get("closed_on"):
            continue
        later = next((c for c in alone if id(c) in left and c is not first and c["team"] == first["team"]
                      and c["start_date"] > first["closed_on"]), None)
        if later is None:
            continue
        left -= {id(first), id(later)}
        groups[id(first)] = [first, later]
        made += 1
    out = []
    for case in cases:
        if id(case) in groups:
            out.append(groups[id(case)])
        elif id(case) in left or not _fits(case):
            _within(case)
            out.append([case])
    return out


def casebook_caseload(source: dict) -> dict:
    """The source's caseload as Casebook holds it (see the module's text), as an export document."""
    cases = []
    for n, group in enumerate(people(source["cases"]), 10001):
        person = f"P{n}"
        child = dict(group[0].get("child") or {})
        if child.get("diversity_needs"):  # Casebook's seven tick boxes, in their order: it records no other
            child["diversity_needs"] = [need for need in TICKS.values() if need in child["diversity_needs"]]
        for episode, original in enumerate(group, 1):
            case = json.loads(json.dumps(original))
            case["case_id"] = f"{person}/{episode}"
            case["ypid"] = person
            case["child"] = child
            if case.get("case_manager") in STAFF:
                case["case_manager"] = " ".join(STAFF[case["case_manager"]])
            case["team"] = TEAMS.get(case.get("team"), case.get("team"))
            for key in ("assessments", "plans"):
                for record in case.get(key, ()):
                    if record.get("countersigned_by") in STAFF:
                        record["countersigned_by"] = " ".join(STAFF[record["countersigned_by"]])
            for record in case.get("oversight", ()):
                if record.get("by") in STAFF:
                    forename, surname = STAFF[record["by"]]
                    record["by"] = f"{surname}, {forename}"
            cases.append(case)
    document = {"format": "yos-case-export", "version": 1,
                "service": {**SERVICE, "extracted_on": source["service"].get("extracted_on", "2026-11-20")},
                "cases": cases}
    return canonical(document)


def canonical(document: dict) -> dict:
    """The document as the loader reads it back (nothing absent written), each case's records in the
    order a version 2 map puts them (contacts by their Casebook id, given in date order)."""
    from rules.load import load_document
    from rules.load.shape import record_order
    from rules.load.tables import caseload_document
    from rules.model import Caseload, Service

    service, cases, rejected, problems = load_document(document, "<casebook>")
    if rejected or any(p.level == "error" for p in problems):
        raise SystemExit("the source caseload does not load cleanly: " + "; ".join(map(str, problems)))
    out = caseload_document(Caseload(service or Service(name=SERVICE["name"]), tuple(cases)))
    for case in out["cases"]:
        for kind in ("assessments", "plans", "reviews", "events", "enforcement", "oversight", "victims"):
            if kind in case:
                case[kind].sort(key=lambda r, k=kind: record_order(k, r))
        if "contacts" in case:
            case["contacts"].sort(key=lambda r: r["date"])  # then numbered in this order: contact_ids()
    return out


# -- the tables, as Casebook writes them ----------------------------------------------------------


def _date(value: str | None, excel: bool) -> Any:
    if value is None:
        return None
    day = dt.date.fromisoformat(value)
    return day if excel else day.strftime("%d/%m/%Y")


def _yes(value: bool | None, unset: str = NOT_SET) -> str:
    return unset if value is None else "Yes" if value else "No"


def _name(code: str | None) -> tuple[str | None, str | None]:
    return (None, None) if code is None else tuple(reversed(code.split(" ", 1))) if " " in code else (code, None)


def contact_ids(document: dict) -> dict[tuple[int, int], str]:
    """Casebook's contact ids: numbered through the caseload, in each case's date order."""
    ids = {}
    n = 400000
    for i, case in enumerate(document["cases"]):
        for j, _ in enumerate(case.get("contacts", ())):
            n += 7
            ids[(i, j)] = f"CT{n}"
    return ids


def tables(document: dict, excel: bool = False) -> dict[str, tuple[str, list[str], list[list[Any]]]]:
    """Each table: (title, header, rows)."""

    def d(value: str | None) -> Any:
        return _date(value, excel)

    people: dict[str, list[Any]] = {}
    episodes, assessments, plans, reviews, events, contacts, enforcement, oversight, victims = ([] for _ in range(9))
    ids = contact_ids(document)
    for i, case in enumerate(document["cases"]):
        person, episode = case["case_id"].split("/")
        child = case.get("child", {})
        if person not in people:
            needs = set(child.get("diversity_needs", ()))
            people[person] = [
                person, d(child.get("date_of_birth")), words("sex", child.get("sex")), child.get("ethnicity") or NOT_SET,
                _yes(child.get("looked_after"), "Unknown"), *("Y" if need in needs else "" for need in TICKS.values()),
            ]
        surname, forename = _name(case.get("case_manager"))
        mappa, custody = case.get("mappa", {}), case.get("custody", {})
        episodes.append([
            person, int(episode) if excel else episode, surname, forename, case.get("team"),
            words("legal_outcome", case.get("legal_outcome")), words("group", case.get("legal_outcome_group")),
            d(case["start_date"]), d(case.get("end_date")), d(case.get("closed_on")), d(case.get("transferred_in_on")),
            words("intervention_level", case.get("intervention_level")),
            _yes(mappa.get("eligible"), "N/K"),
            f"Category {mappa['category']}" if "category" in mappa else None,
            f"Level {mappa['level']}" if "level" in mappa else None,
            d(mappa.get("notified_on")), d(mappa.get("referred_on")),
            d(custody.get("secure_establishment_informed_on")), d(custody.get("release_on")),
        ])
        key = [person, int(episode) if excel else episode]
        for x in case.get("assessments", ()):
            assessments.append([*key, x["id"], words("assessments.kind", x["kind"]), words("assessments.stage", x.get("stage")),
                                d(x.get("started_on")), d(x.get("completed_on")), words("assessments.level", x.get("level")),
                                _yes(x.get("full_analysis_required")), _yes(x.get("victims_considered")),
                                _yes(x.get("self_assessment_used")), _yes(x.get("learning_style_assessed")),
                                x.get("countersigned_by"), d(x.get("countersigned_on"))])
        for x in case.get("plans", ()):
            plans.append([*key, x["id"], words("plans.kind", x.get("kind")) if x.get("kind") else None, d(x.get("created_on")),
                          x.get("countersigned_by"), d(x.get("countersigned_on")), ", ".join(x.get("incorporates", ())),
                          ", ".join(words("plans.addresses", a) for a in x.get("addresses", ())),
                          _yes(x.get("child_involved")), _yes(x.get("parent_involved")), _yes(x.get("contact_level_recorded"))])
        for x in case.get("reviews", ()):
            reviews.append([*key, x.get("id"), d(x["date"]), ", ".join(x.get("reviews", ())),
                            words("reviews.reason", x.get("reason")) if x.get("reason") else None])
        for x in case.get("events", ()):
            events.append([*key, x.get("id"), d(x.get("date")), words("events.kind", x.get("kind")) if x.get("kind") else None,
                           x.get("description")])
        for x in case.get("victims", ()):
            victims.append([*key, x.get("id"), d(x.get("identified_on")), d(x.get("contact_offered_on")),
                            _yes(x.get("views_recorded")), _yes(x.get("declined"))])
        for j, x in enumerate(case.get("contacts", ())):
            day = dt.date.fromisoformat(x["date"])
            at = dt.datetime.combine(day, dt.time(9 + (j * 3) % 8, 15 * (j % 4)))
            contacts.append([ids[(i, j)], person, at if excel else at.strftime("%d/%m/%Y %H:%M"),
                             words("contacts.kind", x.get("kind")) if x.get("kind") else None,
                             words("outcome", x.get("outcome")) if x.get("outcome") else None, x.get("by")])
        for x in case.get("enforcement", ()):
            enforcement.append([person, d(x.get("date")), words("enforcement.kind", x.get("kind")) if x.get("kind") else None,
                                d(x.get("relates_to"))])
        for x in case.get("oversight", ()):
            oversight.append([person, d(x.get("date")), x.get("by"),
                              words("oversight.subject", x.get("subject")) if x.get("subject") else None,
                              x.get("target"), x.get("note")])
    return {
        "People": ("Young People", ["Person ID", "Date of Birth", "Gender", "Ethnicity", "Looked After", *TICKS],
                   list(people.values())),
        "Episodes": ("Episodes (all orders and interventions)",
                     ["Person ID", "Episode No", "Worker Surname", "Worker Forename", "Team", "Outcome", "Outcome Group",
                      "Start Date", "Planned End Date", "Closed Date", "Transfer In Date", "Intervention Level",
                      "MAPPA Eligible", "MAPPA Category", "MAPPA Level", "MAPPA Notified", "MAPPA Referred",
                      "Secure Estate Informed", "Release Date"], episodes),
        "Assessments": ("Assessments", ["Person ID", "Episode No", "Assessment ID", "Assessment Type", "Stage", "Date Started",
                                        "Date Completed", "Rating", "Full Analysis Needed", "Victim Issues Considered",
                                        "Self-Assessment Used", "Learning Style Assessed", "Countersigned By",
                                        "Countersigned On"], assessments),
        "Plans": ("Plans", ["Person ID", "Episode No", "Plan ID", "Plan Type", "Date Completed", "Countersigned By",
                            "Countersigned On", "Linked Plans", "Areas Addressed", "YP Involved", "Parent/Carer Involved",
                            "Contact Level Stated"], plans),
        "Reviews": ("Reviews", ["Person ID", "Episode No", "Review ID", "Review Date", "Items Reviewed", "Reason"], reviews),
        "Events": ("Significant Events", ["Person ID", "Episode No", "Event ID", "Event Date", "Event Type", "Details"], events),
        "Victims": ("Victims", ["Person ID", "Episode No", "Victim Ref", "Date Identified", "Contact Offered",
                                "Views Recorded", "Declined"], victims),
        "Contacts": ("Contact Log", ["Contact ID", "Person ID", "Contact Date", "Contact Type", "Attendance", "Staff ID"],
                     contacts),
        "Enforcement": ("Enforcement Actions", ["Person ID", "Action Date", "Action", "Absence Date"], enforcement),
        "Oversight": ("Management Oversight", ["Person ID", "Oversight Date", "Manager", "Area", "Record Ref", "Comments"],
                      oversight),
    }


def framed(title: str, header: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    """A table as a Casebook report lays it out: a title block, the header, the rows, a totals row, a footer."""
    return [[f"Casebook Reports: {title}"], [RUN], [], header, *rows, [f"Total: {len(rows)} rows"], [],
            ["End of report"]]


def write_csv(document: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    written = []
    for name, (title, header, rows) in tables(document).items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="cp1252", newline="") as out:
            csv.writer(out, lineterminator="\r\n").writerows(framed(title, header, rows))
        written.append(path)
    return written


def write_workbook(document: dict, path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (title, header, rows) in tables(document, excel=True).items():
        sheet = book.create_sheet(name)
        for row in framed(title, header, rows):
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=5):
            for cell in cells:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_all(source: Path, to: Path) -> list[Path]:
    document = casebook_caseload(json.loads(source.read_text(encoding="utf-8")))
    to.mkdir(parents=True, exist_ok=True)
    caseload = to / "caseload.json"
    caseload.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [caseload, *write_csv(document, to / "csv"), write_workbook(document, to / "casebook.xlsx")]


def main(argv: list[str]) -> int:
    to = HERE
    if "--to" in argv:
        at = argv.index("--to")
        to = Path(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    for path in write_all(source, to):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
