"""Hypothesis strategies for well-formed case exports: random, but always valid version 1 records."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from rules import model

START = dt.date(2025, 1, 1)
END = dt.date(2026, 12, 31)

dates = st.dates(min_value=START, max_value=END)
maybe_dates = st.one_of(st.none(), dates)
maybe_bool = st.one_of(st.none(), st.booleans())


def code(enum) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in enum])


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@st.composite
def case_dicts(draw, case_id: str | None = None) -> dict:
    """One case as the JSON export writes it, with ids unique within the case."""
    ids = iter(f"R{i}" for i in range(1000))
    start = draw(dates)
    assessments = [
        _drop_none({
            "id": next(ids),
            "kind": draw(code(model.AssessmentKind)),
            "stage": draw(st.one_of(st.none(), code(model.Stage))),
            "completed_on": iso(draw(maybe_dates)),
            "level": draw(st.one_of(st.none(), code(model.Level))),
            "full_analysis_required": draw(maybe_bool),
            "victims_considered": draw(maybe_bool),
            "self_assessment_used": draw(maybe_bool),
            "learning_style_assessed": draw(maybe_bool),
            "countersigned_on": iso(draw(maybe_dates)),
        })
        for _ in range(draw(st.integers(0, 6)))
    ]
    plans = [
        _drop_none({
            "id": next(ids),
            "kind": draw(code(model.PlanKind)),
            "created_on": iso(draw(maybe_dates)),
            "countersigned_on": iso(draw(maybe_dates)),
            "addresses": draw(st.lists(code(model.Addresses), max_size=3, unique=True)),
            "child_involved": draw(maybe_bool),
            "contact_level_recorded": draw(maybe_bool),
        })
        for _ in range(draw(st.integers(0, 4)))
    ]
    record_ids = [a["id"] for a in assessments] + [p["id"] for p in plans]
    for p in plans:
        if record_ids:
            p["incorporates"] = draw(st.lists(st.sampled_from(record_ids), max_size=2, unique=True))
    reviews = [
        _drop_none({
            "id": next(ids),
            "date": iso(draw(dates)),
            "reviews": draw(st.lists(st.sampled_from(record_ids), max_size=2, unique=True)) if record_ids else [],
            "reason": draw(st.one_of(st.none(), code(model.ReviewReason))),
        })
        for _ in range(draw(st.integers(0, 4)))
    ]
    contacts = [
        _drop_none({"date": iso(draw(dates)), "kind": draw(code(model.ContactKind)), "outcome": draw(code(model.ContactOutcome))})
        for _ in range(draw(st.integers(0, 12)))
    ]
    contact_days = [c["date"] for c in contacts]
    enforcement = [
        _drop_none({
            "date": iso(draw(dates)),
            "kind": draw(code(model.EnforcementKind)),
            "relates_to": draw(st.one_of(st.none(), st.sampled_from(contact_days))) if contact_days else None,
        })
        for _ in range(draw(st.integers(0, 4)))
    ]
    case = _drop_none({
        "case_id": case_id or draw(st.from_regex(r"C-[0-9]{4}", fullmatch=True)),
        "case_manager": draw(st.sampled_from(["CM-1", "CM-2", "CM-3"])),
        "team": draw(st.sampled_from(["North", "South"])),
        "legal_outcome": draw(st.one_of(st.none(), code(model.LegalOutcome))),
        "start_date": iso(start),
        "closed_on": iso(draw(st.one_of(st.none(), st.dates(min_value=start, max_value=END)))),
        "transferred_in_on": iso(draw(maybe_dates)),
        "intervention_level": draw(st.one_of(st.none(), code(model.InterventionLevel))),
        "child": {"diversity_needs": draw(st.lists(st.sampled_from(["SEN", "heritage"]), max_size=2))},
        "assessments": assessments,
        "plans": plans,
        "reviews": reviews,
        "events": [
            _drop_none({"id": next(ids), "date": iso(draw(dates)), "kind": draw(code(model.EventKind))})
            for _ in range(draw(st.integers(0, 3)))
        ],
        "contacts": contacts,
        "enforcement": enforcement,
        "oversight": [
            _drop_none({
                "date": iso(draw(dates)),
                "subject": draw(code(model.OversightSubject)),
                "target": draw(st.sampled_from(record_ids)) if record_ids else None,
            })
            for _ in range(draw(st.integers(0, 3)))
        ],
        "victims": [
            _drop_none({
                "id": next(ids),
                "identified_on": iso(draw(maybe_dates)),
                "contact_offered_on": iso(draw(maybe_dates)),
                "views_recorded": draw(maybe_bool),
                "declined": draw(maybe_bool),
            })
            for _ in range(draw(st.integers(0, 2)))
        ],
        "mappa": {"eligible": draw(st.booleans()), "notified_on": iso(draw(maybe_dates))},
        "custody": {"secure_establishment_informed_on": iso(draw(maybe_dates))},
    })
    return case


def document(cases: list[dict]) -> dict:
    return {"format": "yos-case-export", "version": 1, "service": {"name": "Test YJS"}, "cases": cases}


# -- careless and hostile input ---------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
    | st.sampled_from(["2026-01-05", "1900-01-01", "1985-01-01", "2099-12-31", "31/02/2026", "CORE", "A1", "C-1"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = ["case_id", "start_date", "end_date", "ypid", "child", "case_manager", "legal_outcome", "assessments", "plans",
          "reviews", "events", "contacts", "enforcement", "oversight", "mappa", "victims", "custody"]


@st.composite
def damaged_cases(draw):
    """A valid case with some fields, or some fields of its records, replaced by junk."""
    case = draw(case_dicts())
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        value = case.get(key)
        if isinstance(value, list) and value and isinstance(value[0], dict) and draw(st.booleans()):
            record = dict(value[0])
            record[draw(st.sampled_from(sorted(record) + ["id", "date", "kind"]))] = draw(json_values)
            case[key] = [record, *value[1:]]
        else:
            case[key] = draw(json_values)
    return case
