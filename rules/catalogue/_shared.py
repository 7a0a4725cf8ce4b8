"""Shapes that the risk and safeguarding families share: a plan required by a level, made on time,
and built into the main plan. The two families differ only in which assessments and plans they read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rules.calendar import add_working_days
from rules.catalogue.judge import by_deadline
from rules.facts import CaseView, at_least
from rules.model import Assessment, Plan
from rules.outcomes import Status, Verdict


def _level_text(label: str, x: Assessment) -> str:
    return f"{label} is {x.level.value} ({x.id}, {x.completed_on})"


def _anchor(c: CaseView, assessed: Sequence[Assessment], threshold: str) -> tuple[Assessment, dt.date]:
    """The first assessment at the threshold, and when the plan's timescale runs from: its completion,
    or the start of this order if it came before (a level known from an earlier order)."""
    first = next(x for x in assessed if at_least(x.level, threshold))
    return first, max(first.completed_on, c.start)


def plan_required(
    c: CaseView, current: Assessment | None, assessed: Sequence[Assessment], plans: Sequence[Plan],
    threshold: str, working_days: int, label: str, plan_name: str,
) -> Verdict | None:
    """``current`` at or above ``threshold`` requires one of ``plans``, due ``working_days`` after the
    first of ``assessed`` at or above it (PENDING until then)."""
    if current is None or not at_least(current.level, threshold):
        return None
    now = _level_text(label, current)
    if plans:
        p = plans[0]
        return Verdict(Status.MET, f"{now}; {plan_name} {p.id} created {p.created_on}", (current.id, p.id), done_on=p.created_on)
    _, since = _anchor(c, assessed, threshold)
    return by_deadline(c, plan_name, add_working_days(since, working_days), None, (current.id,),
                       since=f"({label} {current.level.value} from {current.id} of {current.completed_on})")


def plan_on_time(
    c: CaseView, current: Assessment | None, assessed: Sequence[Assessment], plans: Sequence[Plan],
    threshold: str, working_days: int, label: str, plan_name: str,
) -> Verdict | None:
    """The first of ``plans`` made within ``working_days`` of the first assessment at the threshold."""
    if current is None or not at_least(current.level, threshold):
        return None
    first, since = _anchor(c, assessed, threshold)
    p = plans[0] if plans else None
    return by_deadline(
        c, plan_name, add_working_days(since, working_days), p.created_on if p else None,
        tuple(x.id for x in (first, p) if x),
        since=f"({label} {first.level.value} from {first.id} of {first.completed_on})",
    )


def integrated(c: CaseView, plan: Plan, what: str) -> Verdict:
    """A plan is built into a main plan that lists its id in ``incorporates``."""
    hosts = [p for p in c.main_plans if plan.id in p.incorporates]
    if hosts:
        return Verdict(Status.MET, f"{what} {plan.id} is built into {hosts[0].id}", (plan.id, hosts[0].id), done_on=hosts[0].created_on)
    if not c.main_plans:
        return Verdict(Status.NOT_MET, f"{what} {plan.id} ({plan.created_on}) stands alone: there is no intervention plan to build it into", (plan.id,))
    ids = ", ".join(p.id for p in c.main_plans)
    return Verdict(Status.NOT_MET, f"{what} {plan.id} ({plan.created_on}) is not built into the main plan ({ids})", (plan.id, *(p.id for p in c.main_plans)))
