"""Synthetic caseloads: reproducible for a seed, varied like a real youth justice caseload, with gaps.

:func:`generate` returns an export document (``shared/spec/case-export.md``); :func:`write` writes one
as compact JSON, case by case. Every child is invented: ids are codes (``C-0001``, ``YP-3F9A2C``,
``CM-North-03``), never names.

What a case looks like follows the Asset-era practice the rule catalogue is judged against: a
disposal mix led by referral orders, then youth rehabilitation orders, some custody and out-of-court
work; RoSH and vulnerability mostly LOW or MEDIUM; Scaled Approach contact levels; reviews about every
three months; plans for Medium+ risk and vulnerability, countersigned by a team manager. Work is then
left undone or done late at about the rates the 2012 Core Case Inspection found (``seeds/002``: RoSH
screening missing in 16% and late in 23%, an RMP missing in 2 of 24, a VMP in 8 of 40, self-assessment
not used in 53%, ...). As in that report, one office does noticeably worse than the other: a rate is
scaled by the team's factor and by a smaller factor for each case manager.

The bundled example (``rules/data/caseload.json``, linked from ``examples/caseload.json``) is
``generate(68, 1345)``: a seed in which every rule of the catalogue is met in some cases and not met
in others. Only what happened by the as-of date is recorded (a record that would fall later is left out, so the
audit sees it as pending or overdue); planned end dates may be later.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import random
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from itertools import accumulate
from typing import Any

from rules.calendar import add_months, add_working_days

AS_OF = dt.date(2026, 11, 20)
FORMAT = "yos-case-export"
VERSION = 1
SERVICE = {"name": "Shire Youth Justice Service (synthetic)", "yot_code": "Y99"}

#: Teams and how often their work goes missing or late, relative to the base rates below. The 2012
#: report's main finding was the difference between the county's two offices.
TEAMS: tuple[tuple[str, float], ...] = (("North", 0.7), ("South", 1.3))
#: About how many cases a case manager holds (at least four case managers a team).
CASES_PER_MANAGER = 12

#: Base rates of missing ("_missing") and late ("_late") work, shares of the cases (or records) where
#: the work is due. Most are the 2012 Core Case Inspection's figures (``seeds/002``).
RATES: dict[str, float] = {
    # 1.2: six of 62 with no initial assessment of likelihood of reoffending, almost a quarter late
    "core_missing": 0.08, "core_late": 0.2,
    "self_assessment_not_used": 0.53, "learning_style_not_assessed": 0.5,
    # initial assessment not reviewed at appropriate intervals in more than a third: per review point
    "core_review_skipped": 0.12, "review_point_late": 0.06,
    "transfer_not_reassessed": 0.3, "transfer_reassessed_late": 0.15,
    # 1.1: RoSH screening not completed in 16%, not on time in 23%
    "rosh_missing": 0.16, "rosh_late": 0.23,
    # full analysis completed in all but two, on time in 79%
    "rosh_full_missing": 0.05, "rosh_full_late": 0.2,
    # RMP in 22 of 24 where required; 32% not integrated into the plan; victim safety 38% insufficient
    "rmp_missing": 2 / 24, "rmp_late": 0.12, "rmp_not_integrated": 0.32, "rmp_no_victim_safety": 0.38,
    # 2.1: RoSH not reviewed within three months of start in 44%
    "rosh_review_skipped": 0.22,
    "mappa_not_notified": 0.12, "victims_not_considered": 0.38,
    # 1.3: vulnerability screening not completed in 13%, late in 18%
    "vuln_missing": 0.13, "vuln_late": 0.18,
    # 40 cases needed a VMP: 32 done, 29 on time; VMPs not integrated: assumed a fifth
    "vmp_missing": 8 / 40, "vmp_late": 3 / 32, "vmp_not_integrated": 0.2,
    # 2.3: secure establishment told of vulnerability in 13 of 14; home visits in 86-90%
    "custody_not_shared": 1 / 14, "custody_shared_late": 0.05, "no_home_visit": 0.12,
    # plans: one community case with no plan, timely in 84%; plans not reviewed (assumed a quarter)
    "plan_missing": 0.03, "plan_late": 0.16, "plan_review_skipped": 0.1,
    "plan_no_risk": 0.33, "child_not_involved": 0.23, "parent_not_involved": 0.36,
    "contact_level_not_recorded": 0.28, "diversity_not_in_plan": 0.22, "no_contingency": 0.33,
    # oversight not evidenced: RoSH almost half, vulnerability a third, RMP a quarter
    "rosh_oversight_missing": 0.4, "vuln_oversight_missing": 0.33, "plan_oversight_missing": 0.25,
    "oversight_late": 0.08,
    # 2.2 and 3.1: contacts short in a 4-week block; warnings and breaches
    "contact_block_short": 0.05, "poor_compliance": 0.15,
    "warning_missing": 0.1, "warning_late": 0.08, "breach_missing": 0.15, "breach_late": 0.12,
    # 2.1 victims: contact offered, views recorded (assumed)
    "victim_contact_missing": 0.1, "victim_contact_late": 0.15, "victim_views_not_recorded": 0.3,
    # 2.1: not reviewed after significant change 59% of the time
    "no_review_after_change": 0.45, "review_after_change_late": 0.15,
    # 3.2: end-of-order review (assumed)
    "no_end_review": 0.15, "end_review_late": 0.1,
}

# (legal outcome, group, weight, order lengths in months)
DISPOSALS = (
    ("REFERRAL_ORDER", "FIRST_TIER", 36, (3, 4, 6, 6, 6, 9, 9, 12, 12)),
    ("YOUTH_REHABILITATION_ORDER", "COMMUNITY", 26, (3, 6, 6, 9, 12, 12, 12, 18, 18, 24)),
    ("DETENTION_AND_TRAINING_ORDER", "CUSTODY", 7, (4, 6, 8, 10, 12, 18, 24)),
    ("SECTION_250", "CUSTODY", 2, (12, 18, 24)),
    ("YOUTH_CONDITIONAL_CAUTION", "PRE_COURT", 12, (3, 3, 4)),
    ("YOUTH_CAUTION", "PRE_COURT", 13, (3, 3)),
    ("COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT", "PRE_COURT", 4, (3,)),
)
MAIN_PLAN = {"FIRST_TIER": "REFERRAL_ORDER_CONTRACT", "COMMUNITY": "INTERVENTION_PLAN",
             "CUSTODY": "SENTENCE_PLAN", "PRE_COURT": "INTERVENTION_PLAN"}
LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
RANK = {level: i for i, level in enumerate(LEVELS)}
#: RoSH and vulnerability by outcome group: (LOW, MEDIUM, HIGH, VERY_HIGH) weights
ROSH_WEIGHTS = {"PRE_COURT": (75, 22, 3, 0), "FIRST_TIER": (62, 31, 6, 1), "COMMUNITY": (45, 40, 13, 2),
                "CUSTODY": (20, 45, 28, 7)}
VULN_WEIGHTS = {"PRE_COURT": (60, 33, 7, 0), "FIRST_TIER": (50, 40, 9, 1), "COMMUNITY": (38, 45, 15, 2),
                "CUSTODY": (22, 48, 25, 5)}
#: Scaled Approach: contacts per 4 weeks in the first 12 weeks, then after
CONTACTS = {"STANDARD": (2, 1), "ENHANCED": (4, 2), "INTENSIVE": (8, 4)}
CONTACT_KINDS = ("OFFICE", "HOME_VISIT", "PHONE", "VIDEO", "INTERVENTION", "PARTNER_AGENCY")
CONTACT_KIND_WEIGHTS = (42, 14, 10, 3, 23, 8)
ETHNICITIES = (
    ("White British", 70), ("White other", 5), ("Mixed White and Black Caribbean", 6),
    ("Mixed other", 3), ("Black British Caribbean", 5), ("Black British African", 3),
    ("Asian British Pakistani", 3), ("Asian British Indian", 1), ("Gypsy or Irish Traveller", 2),
    ("Not stated", 2),
)
DIVERSITY_NEEDS = ("learning disability", "special educational needs", "speech, language and communication needs",
                   "mental health needs", "young parent", "English as an additional language",
                   "Traveller heritage", "care experienced")
EVENT_KINDS = ("SIGNIFICANT_CHANGE", "NEW_OFFENCE", "CHANGE_OF_ADDRESS", "OTHER")
EVENT_WORDS = {
    "SIGNIFICANT_CHANGE": ("placement broke down", "excluded from school", "bereavement in the family",
                           "exploitation concerns raised"),
    "NEW_OFFENCE": ("arrested for a further offence", "charged with a new offence"),
    "CHANGE_OF_ADDRESS": ("moved to a relative's home", "moved to supported accommodation"),
    "OTHER": ("started college course", "began work placement"),
}

_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def generate(cases: int, seed: int, as_of: dt.date = AS_OF) -> dict:
    """An export document of ``cases`` synthetic cases as of ``as_of``; the same for the same seed."""
    paused = gc.isenabled()
    gc.disable()  # plain acyclic dicts: the collector would only walk the growing list, again and again
    try:
        return {**_head(as_of), "cases": list(iter_cases(cases, seed, as_of))}
    finally:
        if paused:
            gc.enable()


def stream(cases: int, seed: int, as_of: dt.date = AS_OF) -> dict:
    """As :func:`generate`, but ``cases`` is a one-shot iterator: :func:`write` never holds them all."""
    return {**_head(as_of), "cases": iter_cases(cases, seed, as_of)}


def _head(as_of: dt.date) -> dict:
    return {"format": FORMAT, "version": VERSION, "service": {**SERVICE, "extracted_on": as_of.isoformat()}}


def iter_cases(cases: int, seed: int, as_of: dt.date = AS_OF) -> Iterator[dict]:
    """The cases of :func:`generate`, one at a time."""
    if cases < 0:
        raise ValueError("the number of cases cannot be negative")
    maker = _Maker(random.Random(seed), as_of, cases)
    width = max(4, len(str(cases)))
    for i in range(1, cases + 1):
        yield maker.case(f"C-{i:0{width}d}")


def write(document: Mapping[str, Any], path: str | os.PathLike) -> int:
    """Write ``document`` as compact JSON, case by case; return the number of cases written.

    ``document["cases"]`` may be any iterable (as from :func:`stream`). The file is written as
    :func:`rules.output.write_file` writes: beside its final name and moved there when complete, so an
    interrupted write leaves no half file (:class:`rules.output.OutputError` if it cannot be written).
    """
    from rules.output import write_file

    head = {k: v for k, v in document.items() if k != "cases"}
    n = 0

    def parts():
        nonlocal n
        opening = _ENCODE(head)
        yield opening[:-1] + (',"cases":[' if head else '"cases":[')
        chunk: list[str] = []
        for case in document.get("cases", ()):
            chunk.append(_ENCODE(case))
            n += 1
            if len(chunk) == 500:
                yield ("," if n > 500 else "") + ",".join(chunk)
                chunk.clear()
        if chunk:
            yield ("," if n > len(chunk) else "") + ",".join(chunk)
        yield "]}\n"

    write_file(path, parts())
    return n


_DAYS = tuple(dt.timedelta(days=n) for n in range(28))
_CUMULATIVE: dict[tuple[float, ...], list[float]] = {}


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after a weekend (office work is dated on weekdays)."""
    wd = day.weekday()
    return day + dt.timedelta(days=7 - wd) if wd > 4 else day


def _weighted(rng: random.Random, items: tuple, weights: tuple[float, ...]):
    """One of ``items`` by weight (as ``rng.choices`` but faster: the sums are kept)."""
    cum = _CUMULATIVE.get(weights)
    if cum is None:
        cum = _CUMULATIVE[weights] = list(accumulate(weights))
    return items[bisect_right(cum, rng.random() * cum[-1])]


class _Maker:
    """Makes one case after another from one random stream."""

    def __init__(self, rng: random.Random, as_of: dt.date, cases: int) -> None:
        self.rng = rng
        self.as_of = as_of
        per_team = max(4, round(cases / len(TEAMS) / CASES_PER_MANAGER))
        self.staff = []  # (team, team factor, case manager, manager factor, team managers, workers)
        for team, factor in TEAMS:
            managers = tuple(f"TM-{team}-{k}" for k in (1, 2))
            workers = tuple(f"W-{team}-{k:02d}" for k in range(1, 4))
            for k in range(1, per_team + 1):
                self.staff.append((team, factor, f"CM-{team}-{k:02d}", rng.uniform(0.75, 1.25), managers, workers))
        self.disposals = DISPOSALS
        self.disposal_weights = tuple(d[2] for d in DISPOSALS)
        eth, eth_w = zip(*ETHNICITIES)
        self.ethnicities, self.ethnicity_weights = eth, eth_w

    # -- small helpers ---------------------------------------------------------------------------

    def p(self, rate: str) -> float:
        return min(0.95, RATES[rate] * self.q)

    def chance(self, rate: str) -> bool:
        return self.rng.random() < self.p(rate)

    def when(self, anchor: dt.date, working_days: int, missing: str, late: str,
             earliest: int = 1) -> dt.date | None:
        """When a duty due ``working_days`` after ``anchor`` was done: on time, late, or never (None).
        Nothing after the end of watch is recorded."""
        r = self.rng.random()
        pm = self.p(missing)
        if r < pm:
            return None
        if r < pm + self.p(late):
            day = add_working_days(anchor, working_days + self.rng.randint(1, 25))
        else:
            day = add_working_days(anchor, self.rng.randint(min(earliest, working_days), working_days))
        return day if day <= self.watch else None

    def oversee(self, record: dict, done: dt.date, subject: str, missing: str) -> None:
        """A manager countersigns the record, or writes an oversight entry on it, within 10 wd."""
        rng = self.rng
        r = rng.random()
        pm = self.p(missing)
        if r < pm:
            return
        if r < pm + self.p("oversight_late"):
            day = add_working_days(done, rng.randint(11, 30))
        else:
            day = add_working_days(done, rng.randint(0, 10))
        if day > self.as_of:
            return
        by = rng.choice(self.managers)
        if rng.random() < 0.6:
            record["countersigned_by"] = by
            record["countersigned_on"] = day.isoformat()
        else:
            self.oversight.append({"date": day.isoformat(), "by": by, "subject": subject, "target": record["id"],
                                   "note": "reviewed and agreed"})

    def next_id(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]}"

    def assessment(self, kind: str, stage: str, done: dt.date, **fields: Any) -> dict:
        a = {"id": self.next_id("A"), "kind": kind, "stage": stage, "completed_on": done.isoformat()}
        a.update(fields)
        self.assessments.append(a)
        return a

    # -- one case --------------------------------------------------------------------------------

    def case(self, case_id: str) -> dict:
        rng = self.rng
        as_of = self.as_of
        team, team_factor, cm, cm_factor, managers, workers = rng.choice(self.staff)
        self.q = team_factor * cm_factor
        self.managers = managers
        self.counter = {"A": 0, "P": 0, "R": 0, "E": 0, "V": 0}
        self.assessments: list[dict] = []
        self.oversight: list[dict] = []

        outcome, group, _, lengths = _weighted(rng, self.disposals, self.disposal_weights)
        months = rng.choice(lengths)
        court = group != "PRE_COURT"
        community = group in ("FIRST_TIER", "COMMUNITY")
        custody = group == "CUSTODY"
        # cases open at some time in the last nine months or so, a few starting this month
        span = (as_of - add_months(as_of, -(months + 9))).days
        start = as_of - dt.timedelta(days=rng.randint(2, span))
        while start.weekday() > 4:
            start -= dt.timedelta(days=1)
        end = add_months(start, months)
        closed = None
        if end <= as_of:
            closed = min(as_of, _weekday(end + dt.timedelta(days=rng.randint(-5, 12))))
        elif rng.random() < 0.04:  # revoked or re-sentenced
            early = start + dt.timedelta(days=rng.randint(40, 200))
            closed = early if early < as_of else None
        self.watch = watch = closed or as_of
        ro = outcome == "REFERRAL_ORDER"
        start_wd = 20 if ro else 15

        rosh = _weighted(rng, LEVELS, ROSH_WEIGHTS[group])
        vuln = _weighted(rng, LEVELS, VULN_WEIGHTS[group])
        looked_after = rng.random() < (0.22 if custody else 0.1)
        if looked_after and vuln == "LOW" and rng.random() < 0.5:
            vuln = "MEDIUM"
        lor = _weighted(rng, ("LOW", "MEDIUM", "HIGH"), (35, 45, 20) if court else (65, 30, 5))
        level = None
        if community:
            score = max(RANK[rosh], RANK[lor])
            level = _weighted(rng, ("STANDARD", "ENHANCED", "INTENSIVE"),
                              ((70, 27, 3), (25, 60, 15), (5, 40, 55), (0, 20, 80))[score])
        victims_n = 0
        if rng.random() < (0.5 if court else 0.35):
            victims_n = 1 if rng.random() < 0.8 else 2
        needs: list[str] = []
        if rng.random() < 0.38:
            needs = rng.sample(DIVERSITY_NEEDS, 1 if rng.random() < 0.75 else 2)
        age = _weighted(rng, (10, 11, 12, 13, 14, 15, 16, 17), (1, 2, 4, 8, 14, 20, 25, 26))
        birth = start - dt.timedelta(days=age * 365 + rng.randint(0, 364))

        case: dict[str, Any] = {
            "case_id": case_id,
            "ypid": f"YP-{rng.getrandbits(24):06X}",
            "child": {
                "date_of_birth": birth.isoformat(),
                "sex": _weighted(rng, ("MALE", "FEMALE", "NOT_KNOWN"), (80, 19, 1)),
                "ethnicity": _weighted(rng, self.ethnicities, self.ethnicity_weights),
                "looked_after": looked_after,
                "diversity_needs": needs,
            },
            "case_manager": cm,
            "team": team,
            "legal_outcome": outcome,
            "legal_outcome_group": group,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        }
        if closed:
            case["closed_on"] = closed.isoformat()
        transfer = None
        if court and rng.random() < 0.06:
            t = start + dt.timedelta(days=rng.randint(20, 150))
            if t < watch - dt.timedelta(days=7):
                transfer = t
                case["transferred_in_on"] = t.isoformat()
        if level:
            case["intervention_level"] = level

        # -- start assessments ------------------------------------------------------------------
        core_ids: list[str] = []
        firsts: list[dict] = []
        if court and rng.random() < 0.3:  # a pre-sentence report assessment, often used as the start one
            back = rng.randint(5, 45) if rng.random() < 0.92 else rng.randint(100, 150)
            firsts.append(self.assessment("CORE", "PSR", _weekday(start - dt.timedelta(days=back)), level=lor))
        if not firsts or rng.random() < 0.4:
            done = self.when(start, start_wd, "core_missing", "core_late", earliest=3)
            if done:
                firsts.append(self.assessment("CORE", "START", done, level=lor,
                                              started_on=(done - dt.timedelta(days=rng.randint(0, 6))).isoformat()))
        for a in firsts:
            a["self_assessment_used"] = not self.chance("self_assessment_not_used")
            a["learning_style_assessed"] = not self.chance("learning_style_not_assessed")
            core_ids.append(a["id"])

        # RoSH screening, then the full analysis where it says one is needed
        rosh_ids: list[str] = []
        rosh_done: list[tuple[dt.date, str, str]] = []  # (date, id, level) completed, levelled
        screened = self.when(start, start_wd, "rosh_missing", "rosh_late", earliest=2)
        if screened:
            shown = rosh if rng.random() < 0.85 or rosh == "LOW" else LEVELS[RANK[rosh] - 1]
            needs_full = RANK[rosh] >= 1 and rng.random() < 0.9 or rng.random() < 0.05
            s = self.assessment("ROSH_SCREENING", "START", screened, level=shown, full_analysis_required=needs_full)
            if victims_n:
                s["victims_considered"] = not self.chance("victims_not_considered")
            rosh_ids.append(s["id"])
            rosh_done.append((screened, s["id"], shown))
            if RANK[shown] >= 1:
                self.oversee(s, screened, "ROSH", "rosh_oversight_missing")
            if needs_full:
                full = self.when(screened, 10, "rosh_full_missing", "rosh_full_late")
                if full:
                    f = self.assessment("ROSH_FULL", "START", full, level=rosh)
                    if victims_n:
                        f["victims_considered"] = not self.chance("victims_not_considered")
                    rosh_ids.append(f["id"])
                    rosh_done.append((full, f["id"], rosh))
                    if RANK[rosh] >= 1:
                        self.oversee(f, full, "ROSH", "rosh_oversight_missing")

        # vulnerability screening, and a full assessment for some at Medium+
        vuln_done: list[tuple[dt.date, str, str]] = []
        vscreened = self.when(start, start_wd, "vuln_missing", "vuln_late", earliest=2)
        if vscreened:
            v = self.assessment("VULNERABILITY_SCREENING", "START", vscreened, level=vuln,
                                full_analysis_required=RANK[vuln] >= 2)
            vuln_done.append((vscreened, v["id"], vuln))
            if RANK[vuln] >= 1:
                self.oversee(v, vscreened, "VULNERABILITY", "vuln_oversight_missing")
            if RANK[vuln] >= 2 or (RANK[vuln] == 1 and rng.random() < 0.3):
                vfull = self.when(vscreened, 10, "rosh_full_missing", "rosh_full_late")
                if vfull:
                    vf = self.assessment("VULNERABILITY_FULL", "START", vfull, level=vuln)
                    vuln_done.append((vfull, vf["id"], vuln))
                    self.oversee(vf, vfull, "VULNERABILITY", "vuln_oversight_missing")

        # -- plans --------------------------------------------------------------------------------
        plans: list[dict] = []
        main = {"id": self.next_id("P"), "kind": MAIN_PLAN[group]}
        made = self.when(start, start_wd, "plan_missing", "plan_late", earliest=3)
        if made:
            main["created_on"] = made.isoformat()
        elif rng.random() < 0.5:
            main = None  # never started; else a draft never completed
        if main is not None:
            plans.append(main)
            addresses = ["LIKELIHOOD_OF_REOFFENDING"]
            if RANK[rosh] >= 1 and not self.chance("plan_no_risk"):
                addresses.append("RISK_OF_HARM")
            if RANK[vuln] >= 1 and rng.random() < 0.86:
                addresses.append("SAFEGUARDING")
            if victims_n and rng.random() < 0.84:
                addresses.append("VICTIM_SAFETY")
            if needs and not self.chance("diversity_not_in_plan"):
                addresses.append("DIVERSITY")
            if (RANK[rosh] >= 1 or RANK[vuln] >= 1) and not self.chance("no_contingency"):
                addresses.append("CONTINGENCY")
            main["addresses"] = addresses
            main["child_involved"] = not self.chance("child_not_involved")
            main["parent_involved"] = not self.chance("parent_not_involved")
            if community:
                main["contact_level_recorded"] = not self.chance("contact_level_not_recorded")
            main["incorporates"] = []
            if made and rng.random() < 0.5:
                self.oversee(main, made, "PLAN", "plan_oversight_missing")

        medium_rosh = next((d for d, _, lv in rosh_done if RANK[lv] >= 1), None)
        current_rosh = rosh_done[-1][2] if rosh_done else None  # the full analysis, if done, came last
        risk_plans: list[dict] = []
        if medium_rosh and current_rosh and RANK[current_rosh] >= 1:
            rmp = self.plan("RISK_MANAGEMENT_PLAN", medium_rosh, "rmp_missing", "rmp_late",
                            ["RISK_OF_HARM"] + (["VICTIM_SAFETY"] if victims_n and not self.chance("rmp_no_victim_safety") else []))
            plans.append(rmp)
            risk_plans.append(rmp)
            if main is not None and not self.chance("rmp_not_integrated"):
                main["incorporates"].append(rmp["id"])
        medium_vuln = next((d for d, _, lv in vuln_done if RANK[lv] >= 1), None)
        if medium_vuln:
            vmp = self.plan("VULNERABILITY_MANAGEMENT_PLAN", medium_vuln, "vmp_missing", "vmp_late", ["SAFEGUARDING"])
            plans.append(vmp)
            risk_plans.append(vmp)
            if main is not None and not self.chance("vmp_not_integrated"):
                main["incorporates"].append(vmp["id"])
        if main is not None and not main["incorporates"]:
            del main["incorporates"]

        # -- contacts and enforcement -------------------------------------------------------------
        contacts = self.contacts(start, watch, level, group, case_manager=cm, workers=workers,
                                 release=add_months(start, months // 2) if custody else None)
        if (RANK[rosh] >= 1 or RANK[vuln] >= 1):
            self.home_visit(contacts, start, cm)
        enforcement = self.enforce(contacts, group)

        # -- reviews, events, end of order --------------------------------------------------------
        reviews: list[dict] = []
        main_ok = main is not None and "created_on" in main
        plan_ids = [p["id"] for p in plans if "created_on" in p]
        rmp_ids = [p["id"] for p in risk_plans if "created_on" in p and p["kind"] == "RISK_MANAGEMENT_PLAN"]
        t = start
        while True:
            late = rng.random() < self.p("review_point_late")
            t = _weekday(t + dt.timedelta(days=rng.randint(96, 130) if late else rng.randint(62, 86)))
            if t > watch:
                break
            listed: list[str] = []
            if not self.chance("core_review_skipped"):
                a = self.assessment("CORE", "REVIEW", t, level=lor)
                listed.append(a["id"])
            if rosh_ids and not self.chance("rosh_review_skipped"):
                if rng.random() < 0.3:
                    r = self.assessment("ROSH_SCREENING", "REVIEW", t, level=current_rosh or rosh)
                    if RANK[r["level"]] >= 1:
                        self.oversee(r, t, "ROSH", "rosh_oversight_missing")
                else:
                    listed.append(rosh_ids[-1])
                    listed.extend(rmp_ids)
            if main_ok and not self.chance("plan_review_skipped"):
                listed.extend(i for i in plan_ids if i not in listed and i not in rmp_ids)
            if listed:
                reviews.append({"id": self.next_id("R"), "date": t.isoformat(), "reviews": listed, "reason": "SCHEDULED"})

        events: list[dict] = []
        kinds = []
        if rng.random() < 0.35:
            kinds.append(rng.choice(EVENT_KINDS))
            if rng.random() < 0.25:
                kinds.append(rng.choice(EVENT_KINDS))
        if custody:
            kinds.append("RELEASE")
        for kind in kinds:
            if kind == "RELEASE":
                day = add_months(start, months // 2)
                if day > watch:
                    continue
                case["custody"] = {"release_on": day.isoformat()}
            else:
                if (watch - start).days < 10:
                    continue
                day = start + dt.timedelta(days=rng.randint(7, (watch - start).days))
            words = EVENT_WORDS.get(kind, ("released on licence",))
            events.append({"id": self.next_id("E"), "date": day.isoformat(), "kind": kind,
                           "description": rng.choice(words)})
            if kind == "OTHER":
                continue
            done = self.when(day, 10, "no_review_after_change", "review_after_change_late")
            if done:
                if rng.random() < 0.6:
                    reviews.append({"id": self.next_id("R"), "date": done.isoformat(),
                                    "reviews": core_ids[:1] + plan_ids[:1], "reason": "SIGNIFICANT_CHANGE"})
                else:
                    self.assessment("CORE", "REVIEW", done, level=lor)

        if closed:
            r = rng.random()
            if r < self.p("no_end_review"):
                pass
            else:
                if r < self.p("no_end_review") + self.p("end_review_late"):
                    day = add_working_days(closed, rng.randint(11, 30))
                else:
                    day = add_working_days(closed, rng.randint(-10, 10))
                if day <= as_of:
                    if rng.random() < 0.6:
                        self.assessment("CORE", "END", day, level=lor)
                    else:
                        reviews.append({"id": self.next_id("R"), "date": day.isoformat(),
                                        "reviews": plan_ids[:1], "reason": "END_OF_ORDER"})

        if transfer:
            done = self.when(transfer, 15, "transfer_not_reassessed", "transfer_reassessed_late", earliest=2)
            if done:
                self.assessment("CORE", "TRANSFER_IN", done, level=lor)

        # -- MAPPA, victims, custody ----------------------------------------------------------------
        if (custody or RANK[rosh] >= 2) and rng.random() < 0.45 or rng.random() < 0.01:
            mappa = {"eligible": True, "category": _weighted(rng, (1, 2, 3), (15, 75, 10)),
                     "level": _weighted(rng, (1, 2, 3), (85, 13, 2))}
            if not self.chance("mappa_not_notified"):
                day = add_working_days(start, rng.randint(1, 15))
                if day <= as_of:
                    mappa["notified_on"] = day.isoformat()
                    if mappa["level"] > 1:
                        mappa["referred_on"] = day.isoformat()
            case["mappa"] = mappa
        victims = []
        for _ in range(victims_n):
            identified = start + dt.timedelta(days=rng.randint(-20, 15))
            if identified > as_of:
                continue
            victim: dict[str, Any] = {"id": self.next_id("V"), "identified_on": identified.isoformat()}
            if rng.random() < 0.12:
                victim["declined"] = True
                offered = add_working_days(identified, rng.randint(1, 5))
                if offered <= as_of:
                    victim["contact_offered_on"] = offered.isoformat()
            else:
                offered = self.when(identified, 10, "victim_contact_missing", "victim_contact_late")
                if offered and offered <= as_of:
                    victim["contact_offered_on"] = offered.isoformat()
                victim["declined"] = False
                victim["views_recorded"] = bool(offered) and not self.chance("victim_views_not_recorded")
            victims.append(victim)
        if custody:
            r = rng.random()
            if r >= self.p("custody_not_shared"):
                late = r < self.p("custody_not_shared") + self.p("custody_shared_late")
                day = add_working_days(start, rng.randint(2, 8) if late else rng.randint(0, 1))
                if day <= as_of:
                    case.setdefault("custody", {})["secure_establishment_informed_on"] = day.isoformat()

        case["assessments"] = self.assessments
        case["plans"] = plans
        if reviews:
            reviews.sort(key=lambda r: r["date"])
            case["reviews"] = reviews
        if events:
            case["events"] = events
        if contacts:
            case["contacts"] = [{"date": d.isoformat(), "kind": k, "outcome": o, "by": b} for d, k, o, b in contacts]
        if enforcement:
            case["enforcement"] = enforcement
        if self.oversight:
            self.oversight.sort(key=lambda o: o["date"])
            case["oversight"] = self.oversight
        if victims:
            case["victims"] = victims
        return case

    def plan(self, kind: str, anchor: dt.date, missing: str, late: str, addresses: list[str]) -> dict:
        """An RMP or VMP due 10 wd after the first Medium+ assessment (a draft if never completed)."""
        plan: dict[str, Any] = {"id": self.next_id("P"), "kind": kind}
        made = self.when(anchor, 10, missing, late)
        if not self.chance("no_contingency"):
            addresses = [*addresses, "CONTINGENCY"]
        plan["addresses"] = addresses
        if made:
            plan["created_on"] = made.isoformat()
            self.oversee(plan, made, "PLAN", "plan_oversight_missing")
        return plan

    def contacts(self, start: dt.date, watch: dt.date, level: str | None, group: str, case_manager: str,
                 workers: tuple[str, ...], release: dt.date | None) -> list[tuple]:
        """Contacts as (date, kind, outcome, by), oldest first."""
        rng = self.rng
        rand = rng.random
        out: list[tuple] = []
        poor = rand() < self.p("poor_compliance")
        unacceptable = 0.2 if poor else 0.03
        short = self.p("contact_block_short") * (3 if poor else 1)
        kinds = CONTACT_KINDS
        kind_cum = list(accumulate(CONTACT_KIND_WEIGHTS))
        kind_total = kind_cum[-1]
        if level is not None:
            early, later = CONTACTS[level]
        elif group == "CUSTODY":
            early, later = 1, 1  # visits in custody; licence contacts after release, below
        else:
            early, later = 2, 2  # out-of-court programme sessions
        released_block = (release - start).days // 28 if release is not None else None
        block = 0
        day0 = start
        four_weeks = dt.timedelta(days=28)
        while day0 <= watch:
            need = early if block < 3 else later
            if released_block is not None and block >= released_block:  # on licence: weekly, then fortnightly
                need = 4 if block < released_block + 3 else 2
            n = need + (0, 0, 1, 1, 2)[int(rand() * 5)]
            if rand() < short:
                n = max(0, need - rng.randint(1, 2))
            in_custody = released_block is not None and block < released_block
            for off in sorted(int(rand() * 28) for _ in range(n)):
                day = day0 + _DAYS[off]
                wd = day.weekday()
                if wd > 4:  # weekend: to the Friday before (still inside the block)
                    day -= _DAYS[wd - 4]
                if day > watch:
                    break
                if in_custody:
                    kind = "PARTNER_AGENCY" if rand() < 0.7 else "VIDEO"
                    outcome = "ATTENDED"
                else:
                    kind = kinds[bisect_right(kind_cum, rand() * kind_total)]
                    r = rand()
                    outcome = "UNACCEPTABLE_ABSENCE" if r < unacceptable else (
                        "ACCEPTABLE_ABSENCE" if r < unacceptable + 0.05 else "ATTENDED")
                by = case_manager if rand() < 0.85 else workers[int(rand() * len(workers))]
                out.append((day, kind, outcome, by))
            block += 1
            day0 += four_weeks
        out.sort(key=lambda c: c[0])
        return out

    def home_visit(self, contacts: list[tuple], start: dt.date, case_manager: str) -> None:
        """Medium+ risk or vulnerability: a home visit within 20 wd of start, or none at all then."""
        due = add_working_days(start, 20)
        early = [i for i, c in enumerate(contacts) if c[0] <= due]
        if self.chance("no_home_visit"):
            for i in early:
                if contacts[i][1] == "HOME_VISIT":
                    contacts[i] = (contacts[i][0], "OFFICE", *contacts[i][2:])
        elif not any(contacts[i][1] == "HOME_VISIT" for i in early):
            day = add_working_days(start, self.rng.randint(1, 20))
            if day <= self.watch:
                contacts.append((day, "HOME_VISIT", "ATTENDED", case_manager))
                contacts.sort(key=lambda c: c[0])

    def enforce(self, contacts: list[tuple], group: str) -> list[dict]:
        """Warnings for unacceptable absences; breach (or a compliance panel) after two in 12 months."""
        rng = self.rng
        out: list[dict] = []
        warnings: list[dt.date] = []
        for day, _, outcome, _ in contacts:
            if outcome != "UNACCEPTABLE_ABSENCE":
                continue
            recent = [w for w in warnings if add_months(day, -12) <= w < day]
            if group == "COMMUNITY" and len(recent) >= 2:
                # back to court (or a compliance panel) within 10 wd; mostly within the warning's 5
                done = self.when(day, 5 if rng.random() < 0.75 else 10, "breach_missing", "breach_late")
                kind = "BREACH" if rng.random() < 0.9 else "COMPLIANCE_PANEL"
            else:
                done = self.when(day, 5, "warning_missing", "warning_late", earliest=0)
                kind = "WARNING"
            if done is None or done > self.as_of:
                continue
            record = {"date": done.isoformat(), "kind": kind}
            if rng.random() < 0.85:
                record["relates_to"] = day.isoformat()
            out.append(record)
            if kind == "WARNING":
                warnings.append(done)
                if group == "FIRST_TIER" and len(recent) >= 2 and rng.random() < 0.5:  # back to the panel
                    panel = add_working_days(done, rng.randint(5, 15))
                    if panel <= self.as_of:
                        out.append({"date": panel.isoformat(), "kind": "COMPLIANCE_PANEL", "relates_to": day.isoformat()})
            elif rng.random() < 0.5:
                seen = add_working_days(done, rng.randint(0, 5))
                if seen <= self.as_of:
                    self.oversight.append({"date": seen.isoformat(), "by": rng.choice(self.managers),
                                           "subject": "ENFORCEMENT", "note": f"{kind.lower().replace('_', ' ')} agreed"})
        return out
