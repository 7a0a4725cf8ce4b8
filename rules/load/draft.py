"""Draft a column map from the tables themselves: ``yos-audit init --map FOLDER-OR-WORKBOOK``.

A data officer's first hours with a new extract go on matching the system's columns to our fields,
listing each code column's values and working out how dates are written. This module does that first
pass: it reads every table of the folder or workbook, finds each header (under any title block), tells
what kind of record each table holds from its name and its columns, matches the columns to our fields
by their names (a case key of person and episode, a name in surname and forename columns, tick-box
columns), lists every value of each code column with our code where the words say it (and leaves the
others for the officer to assign), and guesses the date styles, the words for yes, no and "not
recorded", the list separator and the totals rows from the values. The result is a version 2 map,
commented line by line, that parses as it is: the officer checks it, fills in what is left, and runs
``yos-audit validate``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from rules.files import FileError, read_regular
from rules.load.colmap import (
    KINDS,
    NOT_RECORDED_WORDS,
    PERSON,
    RECORDS,
    FieldSpec,
    ReadOptions,
    Source,
    _members,
    _norm_code,
    cell_text,
    fields_of,
)
from rules.load.shape import HEADER_SEARCH_ROWS, norm

#: how many distinct values of a column are listed at most
MAX_VALUES = 40

#: table names, by kind
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    PERSON: ("people", "person", "persons", "young people", "young person", "clients", "children", "child",
             "yp", "young persons", "client"),
    "cases": ("cases", "case list", "case", "episodes", "episode", "orders", "order", "interventions",
              "caseload", "case load", "disposals", "open cases"),
    "assessments": ("assessments", "assessment", "asset", "assetplus", "asset plus"),
    "plans": ("plans", "plan", "intervention plans", "care plans"),
    "reviews": ("reviews", "review"),
    "events": ("events", "event", "significant events", "incidents"),
    "contacts": ("contacts", "contact", "contact log", "appointments", "attendance", "sessions"),
    "enforcement": ("enforcement", "enforcement actions", "breaches", "breach", "warnings", "compliance"),
    "oversight": ("oversight", "management oversight", "supervision", "manager oversight"),
    "victims": ("victims", "victim"),
}

#: column names besides a field's own words, by kind ("*": any kind); "person" and "episode" are the
#: columns of a case key of person and episode
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "person": ("person id", "young person id", "yp id", "person ref", "person number", "client id", "child id",
                   "yp ref", "young person ref", "person", "yj number"),
        "episode": ("episode no", "episode number", "episode", "episode id", "order no", "order number",
                    "episode ref", "intervention no"),
        "case_id": ("case id", "case ref", "case reference", "case no", "case number", "case"),
    },
    PERSON: {
        "ypid": ("ypid", "yp id", "young person id", "person id", "cld ypid"),
        "child.date_of_birth": ("date of birth", "dob", "birth date", "d o b"),
        "child.sex": ("sex", "gender"),
        "child.ethnicity": ("ethnicity", "ethnic group", "ethnic origin", "ethnicity description"),
        "child.looked_after": ("looked after", "lac", "lac status", "looked after child", "cla", "in care",
                               "looked after status"),
        "child.diversity_needs": ("diversity needs", "diversity", "additional needs"),
    },
    "cases": {
        "case_manager": ("case manager", "case worker", "caseworker", "worker", "key worker", "allocated worker",
                         "practitioner", "case officer", "officer", "yot officer"),
        "team": ("team", "office", "locality", "unit", "team name"),
        "legal_outcome": ("legal outcome", "outcome", "order type", "disposal", "sentence", "intervention type",
                          "outcome type", "order"),
        "legal_outcome_group": ("outcome group", "outcome tier", "tier", "disposal group", "disposal type"),
        "start_date": ("start date", "order start", "order start date", "start", "date started", "commenced",
                       "episode start", "start of order"),
        "end_date": ("end date", "planned end", "planned end date", "order end", "order end date", "expected end",
                     "end"),
        "closed_on": ("closed date", "date closed", "closure date", "case closed", "closed", "case closed date",
                      "episode end", "date of closure"),
        "transferred_in_on": ("transfer in date", "transferred in", "transfer in", "date transferred in"),
        "intervention_level": ("intervention level", "scaled approach", "scaled approach level", "supervision level",
                               "level of intervention"),
        "mappa.eligible": ("mappa eligible", "mappa"),
        "mappa.notified_on": ("mappa notified", "mappa notified date", "mappa notification date"),
        "mappa.referred_on": ("mappa referred", "mappa referral date", "mappa referral"),
        "custody.secure_establishment_informed_on": ("secure estate informed", "secure establishment informed",
                                                     "secure estate informed date"),
        "custody.release_on": ("release date", "date of release", "release"),
    },
    "assessments": {
        "id": ("assessment id", "assessment no", "assessment ref", "id"),
        "kind": ("assessment type", "type", "assessment", "assessment kind", "tool"),
        "completed_on": ("date completed", "completed", "completion date", "completed date", "date"),
        "started_on": ("date started", "started", "start date"),
        "level": ("rating", "level", "risk level", "score", "risk rating", "likelihood"),
        "full_analysis_required": ("full analysis needed", "full assessment required", "full required",
                                   "full analysis required"),
        "victims_considered": ("victim issues considered", "victims considered"),
        "self_assessment_used": ("self assessment used", "wdyt completed", "what do you think", "self assessment"),
        "countersigned_by": ("countersigned by", "countersigned", "manager"),
        "countersigned_on": ("countersigned on", "countersigned date", "date countersigned"),
    },
    "plans": {
        "id": ("plan id", "plan no", "plan ref", "id"),
        "kind": ("plan type", "type", "plan"),
        "created_on": ("date completed", "created", "date created", "completed", "plan date", "date"),
        "incorporates": ("linked plans", "incorporates", "includes plans", "integrated plans"),
        "addresses": ("areas addressed", "addresses", "areas", "plan areas", "objectives"),
        "child_involved": ("yp involved", "young person involved", "child involved"),
        "parent_involved": ("parent carer involved", "parent involved", "carer involved"),
        "contact_level_recorded": ("contact level stated", "contact level recorded", "contact level"),
        "countersigned_by": ("countersigned by", "countersigned", "manager"),
        "countersigned_on": ("countersigned on", "countersigned date", "date countersigned"),
    },
    "reviews": {
        "id": ("review id", "review no", "review ref", "id"),
        "date": ("review date", "date", "date of review"),
        "reviews": ("items reviewed", "reviewed", "records reviewed"),
        "reason": ("reason", "review reason", "review type", "trigger"),
    },
    "events": {
        "id": ("event id", "event no", "event ref", "id"),
        "date": ("event date", "date", "date of event"),
        "kind": ("event type", "type", "event"),
        "description": ("details", "description", "notes", "comments"),
    },
    "contacts": {
        "id": ("contact id", "contact no", "contact ref", "appointment id", "id"),
        "date": ("contact date", "date", "appointment date", "date of contact"),
        "kind": ("contact type", "type", "appointment type", "contact method"),
        "outcome": ("attendance", "outcome", "attended", "contact outcome", "attendance outcome"),
        "by": ("staff id", "staff", "worker", "seen by", "officer", "by"),
    },
    "enforcement": {
        "date": ("action date", "date", "date of action"),
        "kind": ("action", "type", "action type", "enforcement type"),
        "relates_to": ("absence date", "relates to", "date of absence", "failure date"),
    },
    "oversight": {
        "date": ("oversight date", "date"),
        "by": ("manager", "by", "overseen by", "supervisor"),
        "subject": ("area", "subject", "oversight area", "oversight type", "type"),
        "target": ("record ref", "target", "record", "record id"),
        "note": ("comments", "note", "notes", "details"),
    },
    "victims": {
        "id": ("victim ref", "victim id", "victim no", "id"),
        "identified_on": ("date identified", "identified", "identified on"),
        "contact_offered_on": ("contact offered", "contact offered date", "date contact offered"),
        "views_recorded": ("views recorded", "views"),
        "declined": ("declined", "declined contact"),
    },
}

_SURNAME = ("surname", "last name", "family name", "lastname")
_FORENAME = ("forename", "first name", "given name", "firstname", "forenames")
_YES = ("y", "yes", "true", "1", "x", "ticked", "\u2713")
_NO = ("n", "no", "false", "0")
_NOT_RECORDED = NOT_RECORDED_WORDS
_DATE_STYLES = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%y",
                "%Y/%m/%d", "%m/%d/%Y")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?(\s?[AaPp][Mm])?$")
_SEPARATORS = (";", "|", ",")


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def _phrases(kind: str, field: str) -> tuple[str, ...]:
    own = field.rsplit(".", 1)[-1].replace("_", " ")
    out = [own]
    if own.endswith(" on"):
        stem = own[:-3]
        out += [f"date {stem}", f"{stem} date", stem]
    person = SYNONYMS[PERSON].get(field, ()) if kind == "cases" else ()  # the child's details in the cases table
    return (*out, *SYNONYMS.get(kind, {}).get(field, ()), *person, *SYNONYMS["*"].get(field, ()))


def similarity(column: str, phrase: str) -> float:
    """How well a column's name says a phrase: 1 the same words; less for more words, or near spellings."""
    a, b = _words(column), _words(phrase)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if set(b) <= set(a):
        return max(0.6, 0.9 - 0.08 * len(set(a) - set(b)))
    return difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() * 0.85


# -- what the tables hold ------------------------------------------------------------------------


@frozen
class Seen:
    """One table as found: its name for the map, header row, header, data rows and what reading it said."""

    name: str
    header_row: int
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    totals: tuple[str, ...] = ()
    windows_1252: bool = False

    def values(self, column: int) -> list[Any]:
        return [r[column] for r in self.rows if column < len(r) and cell_text(r[column]) is not None]


def _header_at(rows: Sequence[tuple[int, tuple[Any, ...]]], vocabulary: set[str]) -> int:
    """The position of the header among the first rows: the one naming most of our columns, else the
    first with the most text cells."""
    best, best_score = 0, (-1, -1)
    for at, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c for c in cells if isinstance(c, str) and c.strip() and not _looks_like_value(c)]
        score = (sum(norm(c) in vocabulary or any(similarity(c, v) >= 0.9 for v in vocabulary) for c in texts)
                 if len(texts) > 1 else 0, len(texts))
        if score > best_score:
            best, best_score = at, score
    return best


def _looks_like_value(text: str) -> bool:
    return bool(re.fullmatch(r"[\d/\-.: ]+", text.strip()))


def _vocabulary() -> set[str]:
    out = set()
    for kind, fields in SYNONYMS.items():
        for phrases in fields.values():
            out.update(" ".join(_words(p)) for p in phrases)
        if kind not in ("*",):
            out.update(" ".join(_words(_phrases(kind, f)[0])) for f in fields)
    return out


def read_all(path: Path) -> tuple[list[Seen], list[str]]:
    """Every table of a folder or workbook (as :func:`Seen`), and the files read."""
    from rules.load.tables import TableError, _open

    vocabulary = _vocabulary()
    book = _open(path)
    seen = []
    try:
        for name in book.names():
            table_name = Path(name).stem if path.is_dir() else name
            source = Source("cases", table_name, {}, read=ReadOptions(header_row=None), header_row=None)
            try:
                table = book.table(source, vocabulary)
            except TableError:
                continue
            if table is None:
                continue
            rows = [(1, table.header), *table.rows]
            at = _header_at(rows, vocabulary)
            number, header = rows[at]
            body = [cells for _, cells in rows[at + 1:] if any(cell_text(c) is not None for c in cells)]
            totals = tuple(t for t in (_total(cells) for cells in body) if t)
            body = [cells for cells in body if not _total(cells)]
            body = _without_footer(body)
            cp1252 = False
            if path.is_dir():
                try:
                    raw = read_regular(path / name)  # read as a table just now: this says the same
                except FileError:
                    raw = b""
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    cp1252 = True
            seen.append(Seen(table_name, number, tuple(" ".join(str(c).split()) if c is not None else "" for c in header),
                             tuple(body), totals, cp1252))
        files = [str(p) for p in book.read]
    finally:
        book.close()
    return seen, files


def _first(cells: tuple[Any, ...]) -> str | None:
    return next((t for t in map(cell_text, cells) if t is not None), None)


def _total(cells: tuple[Any, ...]) -> str | None:
    text = _first(cells)
    if text is None:
        return None
    word = re.match(r"(grand\s+)?totals?\b", text, re.IGNORECASE)
    return f"{word.group(0)}*" if word else None


def _without_footer(body: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Without the few rows at the bottom with a single filled cell under rows with several (a footer)."""
    def filled(cells: tuple[Any, ...]) -> int:
        return sum(cell_text(c) is not None for c in cells)

    cut = len(body)
    while cut > 0 and filled(body[cut - 1]) == 1 and len(body) - cut < 5:
        cut -= 1
    return body[:cut] if cut and filled(body[cut - 1]) > 1 else body


# -- matching -----------------------------------------------------------------------------------


def table_kind(seen: Seen) -> tuple[str | None, float]:
    """The kind of record a table holds, by its name, else by its columns; and how sure (0 to 1)."""
    best, best_score = None, 0.0
    for kind, names in TABLE_NAMES.items():
        score = max(similarity(seen.name, n) for n in names)
        if score > best_score:
            best, best_score = kind, score
    if best_score >= 0.8:
        return best, best_score
    by_columns = {kind: len(match_columns(seen, kind)) for kind in TABLE_NAMES}
    kind = max(by_columns, key=lambda k: by_columns[k])
    return (kind, 0.5) if by_columns[kind] >= 2 else (None, 0.0)


def _fields(kind: str) -> list[str]:
    out = [f for f in fields_of(kind) if not (f == "case_id" and kind != "cases")]
    return [*out, "person", "episode", *(["case_id"] if kind not in ("cases", PERSON) else [])] + (
        ["id"] if kind in ("contacts",) else [])


def match_columns(seen: Seen, kind: str, threshold: float = 0.75) -> dict[str, str]:
    """Our field -> their column, each column used once, the best matches first."""
    scores = []
    for column in seen.header:
        if not column:
            continue
        for field in _fields(kind):
            score = max(similarity(column, p) for p in _phrases(kind, field))
            if score >= threshold:
                scores.append((score, column, field))
    scores.sort(key=lambda s: (-s[0], seen.header.index(s[1])))
    out: dict[str, str] = {}
    used: set[str] = set()
    for _, column, field in scores:
        if field not in out and column not in used:
            out[field] = column
            used.add(column)
    return out


def name_pairs(seen: Seen, used: set[str]) -> list[tuple[str, str, str]]:
    """(what the pair names, forename column, surname column): ``Worker Forename`` and ``Worker Surname``."""
    out = []
    for column in seen.header:
        if column in used or not column:
            continue
        for word in _SURNAME:
            words = _words(column)
            if " ".join(words).endswith(word) or " ".join(words).startswith(word):
                rest = " ".join(words).replace(word, "").strip()
                partner = next((c for c in seen.header if c and c not in used and c != column
                                and any(f in " ".join(_words(c)) for f in _FORENAME)
                                and " ".join(_words(c)).replace(next(f for f in _FORENAME if f in " ".join(_words(c))), "").strip() == rest),
                               None)
                if partner:
                    out.append((rest, partner, column))
                break
    return out


def _yes_no(values: Iterable[Any]) -> bool:
    texts = {norm(cell_text(v)) for v in values}
    texts.discard("")
    return bool(texts) and texts <= {*_YES, *_NO, *_NOT_RECORDED}


# -- the values ----------------------------------------------------------------------------------


def guess_code(value: str, spec: FieldSpec) -> tuple[Any, bool]:
    """(our code for their value, True when the words say it exactly (no line needed)), or (None, False)."""
    if spec.enum is None:
        if spec.kind == "int":
            digits = re.findall(r"\d+", value)
            return (int(digits[0]), False) if len(digits) == 1 else (None, False)
        return None, False
    members = sorted(_members(spec.enum))
    code = _norm_code(value)
    if code in members:
        return code, True
    words = set(_words(value)) - _STOP
    letters = re.sub(r"[^A-Z0-9]", "", code)

    def one(found: list[str]) -> str | None:
        return found[0] if len(found) == 1 else None

    guesses = (
        lambda: one([m for m in members if _abbreviates(_words(value), m)]),  # V High, Med
        lambda: one([m for m in members if set(m.casefold().split("_")) - _STOP <= words]),  # Address Change
        lambda: one([m for m in members if "".join(w[0] for w in _words(value)).upper() == m]),  # Pre-Sentence Report
        lambda: one([m for m in members if _initials(m) == letters]),  # YRO, RMP, UA
        lambda: one([m for m in members if len(letters) >= 3 and m.startswith(letters)]),  # Int, Enh
        lambda: one([m for m in members if len(letters) >= 2 and _within(letters, m)]),  # Std
        lambda: next(iter(difflib.get_close_matches(code, members, n=1, cutoff=0.6)), None),
    )
    for guess in guesses:
        found = guess()
        if found is not None:
            return found, False
    return None, False


_STOP = {"of", "and", "the", "with", "by", "for", "to", "in"}


def _abbreviates(words: tuple[str, ...], member: str) -> bool:
    """Each word the start of the member's word in its place: ``V High`` for ``VERY_HIGH``."""
    theirs = member.casefold().split("_")
    return len(words) == len(theirs) and all(t.startswith(w) for w, t in zip(words, theirs, strict=True))


def _initials(member: str) -> str:
    return "".join(w[0] for w in member.casefold().split("_") if w not in _STOP).upper()


def _within(letters: str, member: str) -> bool:
    """The letters in order within the member, from its first: ``STD`` in ``STANDARD``."""
    if not member.startswith(letters[0]):
        return False
    at = 0
    for c in letters:
        at = member.find(c, at)
        if at < 0:
            return False
        at += 1
    return True


def date_styles(values: Iterable[str]) -> list[str]:
    """The styles that read the values, fewest first: ISO needs none (it is always read)."""
    texts = [_TIME.sub("", v.strip()) for v in values]
    texts = [t for t in texts if t and not _ISO.fullmatch(t)]
    numbers = [t for t in texts if re.fullmatch(r"\d{4,6}(\.0)?", t)]
    texts = [t for t in texts if t not in numbers]
    styles = []
    left = set(texts)
    while left:
        counts = {s: sum(1 for t in left if _parses(t, s)) for s in _DATE_STYLES if s not in styles}
        style = max(counts, key=lambda s: counts[s], default=None)  # the first of equals: dd/mm before mm/dd
        if style is None or counts[style] == 0:
            break
        styles.append(style)
        left = {t for t in left if not _parses(t, style)}
    if numbers:
        styles.append("excel")
    return styles


def _parses(text: str, style: str) -> bool:
    try:
        dt.datetime.strptime(text, style)
    except ValueError:
        return False
    return True


# -- the draft ----------------------------------------------------------------------------------


def _q(text: Any) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _key(field: str) -> str:
    return field if re.fullmatch(r"[A-Za-z0-9_.]+", field) else _q(field)


@attrs.define
class _Draft:
    """What the draft has found so far, across tables."""

    lines: list[str] = attrs.Factory(list)
    dates: list[str] = attrs.Factory(list)
    yes: Counter = attrs.Factory(Counter)
    no: Counter = attrs.Factory(Counter)
    absent: Counter = attrs.Factory(Counter)
    separators: Counter = attrs.Factory(Counter)
    totals: set[str] = attrs.Factory(set)
    windows_1252: bool = False
    matched: int = 0


def draft_map(path: Path | str, warn: Callable[[str], None] | None = None) -> tuple[str, list[str]]:
    """A version 2 column map drafted from the tables of a folder or workbook, and the files read.
    :class:`rules.load.tables.TableError` when the folder or workbook cannot be read at all, or holds no
    table (a draft of nothing); ``warn`` hears when no table looks like the case list."""
    from rules.load.tables import TableError

    path = Path(path)
    seen, files = read_all(path)
    if not any(any(table.header) for table in seen):
        raise TableError("no tables (*.csv) in this folder: nothing to draft a map from" if path.is_dir()
                         else "no sheet of this workbook holds a table: nothing to draft a map from")
    kinds: dict[str, Seen] = {}
    unknown: list[Seen] = []
    for table in sorted(seen, key=lambda t: -table_kind(t)[1]):
        kind, _ = table_kind(table)
        if kind is None or kind in kinds:
            unknown.append(table)
        else:
            kinds[kind] = table
    if "cases" not in kinds and warn is not None:
        names = ", ".join(_q(t.name) for t in seen if any(t.header))
        warn(f"no table of {path} looks like the case list (its tables: {names}): the draft leaves the cases to map by hand")
    draft = _Draft()
    case_key: list[str] = []
    person_column: str | None = None
    if "cases" in kinds:
        found = match_columns(kinds["cases"], "cases")
        person = found.get("person") or found.get("ypid")  # the person's id is the child's
        if person and "episode" in found:
            case_key = [person, found["episode"]]
        elif "case_id" in found:
            case_key = [found["case_id"]]
        elif person:
            case_key = [person]
        placed = [k for k, t in kinds.items() if k in RECORDS and "person" in match_columns(t, k)
                  and not all(norm(c) in {norm(h) for h in t.header} for c in case_key)]
        if person and (PERSON in kinds or placed):  # a person table to join, or rows to place by person
            person_column = person
    sections = []
    for kind in ("cases", PERSON, *KINDS[1:]):
        if kind in kinds:
            sections.append(_section(kind, kinds[kind], draft, case_key, person_column, PERSON in kinds))
    head = _head(path, draft, seen)
    tail = []
    for table in unknown:
        tail.append(f"# The table {_q(table.name)} was not recognised (its columns: {', '.join(map(_q, filter(None, table.header)))}):")
        tail.append("# map it by hand, as [assessments] table = \"...\" and so on, or leave it: it is not read.")
    missing = [k for k in KINDS if k not in kinds]
    if missing:
        tail.append(f"# No table was found for: {', '.join(missing)} (fine if the system has none).")
    return tidy("\n".join([*head, *sections, *tail])), files


def _head(path: Path, draft: _Draft, seen: list[Seen]) -> list[str]:
    yes = [v for v, _ in draft.yes.most_common()] or ["Y", "Yes"]
    no = [v for v, _ in draft.no.most_common()] or ["N", "No"]
    dates = date_styles(draft.dates) or ["%d/%m/%Y"]
    lines = [
        f"# yos-audit column map, drafted by `yos-audit init --map` from the {len(seen)} tables of {path.name}.",
        "# A first pass: columns were matched to our fields by their names, codes by their words, date",
        "# styles and yes/no words from the values. Check every line, assign the codes left blank (lines",
        "# starting with #), then: yos-audit validate PATH --map THIS-FILE. Every key: examples/tabular/README.md.",
        "",
        "version = 2",
        "",
        "[service]",
        f"name = {_q(_service_name(path))}",
        '# yot_code = "XX01"',
        "# extracted_on = 2026-11-20                # the date the extract was taken",
        "",
        "[read]                                     # for every table; a table's section may say otherwise",
        f"dates = [{', '.join(map(_q, dates))}]" + _note(f"seen: {', '.join(sorted(set(draft.dates))[:3])}" if draft.dates else ""),
        f"true = [{', '.join(map(_q, yes))}]",
        f"false = [{', '.join(map(_q, no))}]",
    ]
    if draft.separators:
        lines.append(f"separator = {_q(draft.separators.most_common(1)[0][0])}" + _note("splits list fields"))
    if draft.windows_1252:
        lines.append('encoding = "cp1252"' + _note("the files are not UTF-8: Windows-1252, as Excel on Windows saves"))
    if draft.absent:
        lines.append(f"not_recorded = [{', '.join(_q(v) for v, _ in draft.absent.most_common())}]"
                     + _note("values seen that mean nothing was recorded"))
    if draft.totals:
        lines.append(f"skip = [{', '.join(map(_q, sorted(draft.totals)))}]" + _note("totals rows seen below the data"))
    lines.append("# header_row is not given: each table's header is found by its column names")
    lines.append("")
    return lines


def _section(kind: str, seen: Seen, draft: _Draft, case_key: list[str], person_column: str | None,
             has_person_table: bool) -> str:
    specs = fields_of(kind)
    found = match_columns(seen, kind)
    draft.totals.update(seen.totals)
    draft.windows_1252 = draft.windows_1252 or seen.windows_1252
    lines = [f"[{kind}]", f"table = {_q(seen.name)}" + _note(
        f"its header is on row {seen.header_row}" if seen.header_row > 1 else "")]
    lines.append(f"[{kind}.columns]")
    used: set[str] = set()
    if kind == PERSON:
        column = found.get("person") or found.get("ypid")
        if column:
            lines.append(f"person = {_q(column)}" + _note("joins each person to their cases"))
            used.add(column)
            if "ypid" not in found or found["ypid"] == column:
                lines.append(f"ypid = {_q(column)}" + _note("the child's id: the person id, unless another column has it"))
                found.pop("ypid", None)
        else:
            lines.append('# person = "..."                        # required: the person id that joins the cases')
    elif kind == "cases":
        if len(case_key) > 1:
            lines.append(f"case_id = [{', '.join(map(_q, case_key))}]" + _note("a case is a person's episode"))
        elif case_key:
            lines.append(f"case_id = {_q(case_key[0])}")
        else:
            lines.append('# case_id = "..."                       # required: no column was found for it')
        used.update(case_key)
        if person_column and len(case_key) == 1 and person_column != case_key[0]:
            lines.append(f"person = {_q(person_column)}" + _note("the person's id: joins the person table"))
            used.add(person_column)
        ypid = found.get("ypid") or found.get("person")
        if ypid and not has_person_table:
            lines.append(f"ypid = {_q(ypid)}" + _note("the child's id"))
            used.add(ypid)
            found.pop("ypid", None)
    else:
        here = {norm(c): c for c in seen.header if c}
        own = [here.get(norm(c)) for c in case_key]
        if case_key and all(own):
            value = f"[{', '.join(_q(c) for c in own)}]" if len(own) > 1 else _q(own[0])
            lines.append(f"case_id = {value}")
            used.update(c for c in own if c is not None)
        elif found.get("person") and person_column:
            lines.append(f"person = {_q(found['person'])}" + _note("no case: each row goes to the case whose dates hold it"))
            used.add(found["person"])
        elif found.get("case_id"):
            lines.append(f"case_id = {_q(found['case_id'])}")
            used.add(found["case_id"])
        else:
            lines.append('# case_id = "..."                       # required: no column naming the case was found')
    if kind in ("contacts", "enforcement", "oversight") and found.get("id") and found["id"] not in used:
        lines.append(f"id = {_q(found['id'])}" + _note("the system's id: orders the records, never their rows"))
        used.add(found["id"])
    codes: list[tuple[str, FieldSpec, list[Any]]] = []
    pairs = name_pairs(seen, used)
    names = {f for f, s in specs.items() if s.kind == "text" and (f.endswith("_by") or f in ("case_manager", "by"))}
    for rest, forename, surname in pairs:
        field = max(names, key=lambda f: max(similarity(rest or f, p) for p in _phrases(kind, f)), default=None)
        if field is None or field in found and found[field] not in (forename, surname):
            continue
        lines.append(f"{field} = {{ format = {_q('{' + forename + '} {' + surname + '}')} }}")
        used.update((forename, surname))
        found.pop(field, None)
    for field, spec in specs.items():
        column = found.get(field)
        if field in ("case_id",) or column is None or column in used:
            continue
        if field.startswith(("child.", "ypid")) and kind == "cases" and has_person_table:
            continue
        index = seen.header.index(column)
        values = seen.values(index)
        used.add(column)
        draft.matched += 1
        lines.append(f"{_key(field)} = {_q(column)}")
        _learn(spec, values, draft)
        if spec.kind in ("code", "int") and values:
            codes.append((field, spec, values))
    ticks = [c for i, c in enumerate(seen.header) if c and c not in used and _yes_no(seen.values(i)) and seen.values(i)]
    if "child.diversity_needs" in specs and "child.diversity_needs" not in found and len(ticks) >= 2:
        inner = ", ".join(f"{_q(c)} = {_q(c)}" for c in ticks)
        lines.append("# tick-box columns: each ticked one adds its item (write the words the item should have)")
        lines.append(f"child.diversity_needs = {{ ticked = {{ {inner} }} }}")
        for i, c in enumerate(seen.header):
            if c in ticks:
                _learn(FieldSpec("tick", "bool"), seen.values(i), draft)
        used.update(ticks)
    for field, spec in specs.items():
        if spec.required and field not in found and field != "case_id" and not any(
                line.startswith(f"{field} =") for line in lines):
            lines.append(f'# {field} = "..."' + " " * max(1, 36 - len(field)) + "# required: no column was found for it")
    rest = [c for c in seen.header if c and c not in used]
    if rest:
        lines.append(f"# not read (no field matched): {', '.join(map(_q, rest))}")
    for field, spec, values in codes:
        lines.extend(_codes(kind, field, spec, values, draft))
    lines.append("")
    return "\n".join(lines)


def _learn(spec: FieldSpec, values: list[Any], draft: _Draft) -> None:
    """What a column's values say of the words for yes, no and "not recorded", dates and separators."""
    for value in values:
        if isinstance(value, (dt.date, bool, int, float)):
            continue
        text = cell_text(value)
        if text is None:
            continue
        folded = norm(text)
        if folded in _NOT_RECORDED and not (spec.kind == "code" and _norm_code(text) in _members(spec.enum)):
            draft.absent[text] += 1
        elif spec.kind == "bool":
            if folded in _YES:
                draft.yes[text] += 1
            elif folded in _NO:
                draft.no[text] += 1
        elif spec.kind == "date":
            draft.dates.append(text)
        elif spec.many:
            for sep in _SEPARATORS:
                if sep in text:
                    draft.separators[sep] += 1
                    break


def _codes(kind: str, field: str, spec: FieldSpec, values: list[Any], draft: _Draft) -> list[str]:
    counts = Counter(cell_text(v) for v in values)
    counts.pop(None, None)
    if spec.many:
        sep = draft.separators.most_common(1)[0][0] if draft.separators else ";"
        items: Counter = Counter()
        for text, n in counts.items():
            for item in text.split(sep):
                if item.strip():
                    items[item.strip()] += n
        counts = items
    header = f"[{kind}.codes.{_key(field) if '.' not in field else _q(field)}]"
    lines = [header + _note("their value = our code; the values seen, most used first")]
    automatic = []
    for text, _ in counts.most_common(MAX_VALUES):
        if norm(text) in _NOT_RECORDED and not (spec.enum and _norm_code(text) in _members(spec.enum)):
            continue
        code, exact = guess_code(text, spec)
        if exact:
            automatic.append(text)
        elif code is not None:
            lines.append(f"{_q(text)} = {json.dumps(code.value if isinstance(code, Enum) else code)}" + _note("a guess: check it"))
        else:
            choices = ", ".join(sorted(_members(spec.enum))) if spec.enum else "a number"
            lines.append(f'# {_q(text)} = ""' + _note(f"which? {choices}"))
    if automatic:
        lines.append(f"# read as our codes with no line: {', '.join(map(_q, automatic))}")
    if len(counts) > MAX_VALUES:
        lines.append(f"# ... and {len(counts) - MAX_VALUES} more values")
    return lines


_PAD = 43


def _service_name(path: Path) -> str:
    """The folder's or the workbook's name; the folder above one named only for what it holds."""
    name = path.resolve().stem or path.name
    if name.casefold() in ("csv", "extract", "extracts", "export", "exports", "data", "tables", "reports"):
        return path.resolve().parent.name or name
    return name


def _note(text: str) -> str:
    """A comment for the end of a line (lined up by :func:`tidy`)."""
    return f"\t# {text}" if text else ""


def tidy(text: str) -> str:
    """Comments at the ends of lines lined up."""
    out = []
    for line in text.splitlines():
        code, tab, note = line.partition("\t# ")
        out.append(f"{code:<{_PAD - 1}} # {note}" if tab else line)
    return "\n".join(out) + "\n"


