"""Draw a case sample the way inspectors do: a reproducible random sample, stratified by disposal.

Inspectors read "a representative sample of cases" (2012 report, Appendix 4 shows its sentence types).
``yos-audit score --sample N --seed S`` rehearses that: the caseload is split into strata by disposal
type (the legal outcome, e.g. REFERRAL_ORDER, YOUTH_REHABILITATION_ORDER; or the outcome group,
PRE_COURT ... CUSTODY), each stratum gets its proportional share of N by the largest-remainder method
(ties to the larger stratum, then by name), and that many cases are drawn at random within it.

The draw depends only on the seed, the stratum and the case ids, never on the order of the input or
on the Python run: the same caseload, N and seed give the same sample anywhere.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from attrs import frozen

from rules.model import Case

#: How cases are grouped into strata: by legal outcome (the disposal) or by outcome group.
STRATA = ("legal-outcome", "group")
UNKNOWN = "UNKNOWN"


@frozen
class Stratum:
    key: str
    population: int
    sampled: int


@frozen
class Sample:
    """What was drawn: reports print it so a reader knows the scores are of a sample."""

    size: int
    population: int
    seed: int
    strata_by: str
    strata: tuple[Stratum, ...]
    case_ids: tuple[str, ...]
    #: the N asked for (--sample N): more than the population takes every case, and reports say so
    requested: int | None = None


def stratum_of(case: Case, by: str = "legal-outcome") -> str:
    """The stratum of a case: its legal outcome (else its group), or its outcome group."""
    if by == "legal-outcome" and case.legal_outcome is not None:
        return case.legal_outcome.value
    group = case.group
    return group.value if group is not None else UNKNOWN


def allocate(populations: Mapping[str, int], n: int) -> dict[str, int]:
    """Split ``n`` among strata in proportion to their populations (largest remainder, Hamilton).

    Every stratum gets the floor of its quota; the cases left over go one each to the strata with the
    largest remainders (ties: the larger stratum, then the name). No stratum gets more than it has.
    """
    total = sum(populations.values())
    n = min(n, total)
    if total == 0 or n <= 0:
        return {k: 0 for k in populations}
    shares = {k: n * p for k, p in populations.items()}  # quota * total, in whole numbers
    out = {k: s // total for k, s in shares.items()}
    left = n - sum(out.values())
    order = sorted(populations, key=lambda k: (-(shares[k] % total), -populations[k], k))
    for k in order[:left]:
        out[k] += 1
    return out


def draw_sample(
    cases: Sequence[Case], n: int, seed: int, by: str = "legal-outcome", as_of: dt.date | None = None
) -> tuple[tuple[Case, ...], Sample]:
    """A reproducible random sample of ``n`` cases stratified by disposal, in the input's order.

    With ``as_of``, a case that starts after it is not there to be sampled. With ``n`` at or above the
    number of cases, every case is taken.
    """
    if by not in STRATA:
        raise ValueError(f"cannot stratify by {by!r}: choose {' or '.join(STRATA)}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a sample needs at least one case, not {n!r}")
    if as_of is not None:
        cases = [c for c in cases if c.start_date <= as_of]
    strata: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        strata[stratum_of(c, by)].append(c)
    quota = allocate({k: len(v) for k, v in strata.items()}, n)
    chosen: set[int] = set()
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda c: c.case_id)
        rng = random.Random(f"yos-audit sample {seed} {key}")
        chosen.update(id(c) for c in rng.sample(members, quota[key]))
    picked = tuple(c for c in cases if id(c) in chosen)
    info = Sample(
        size=len(picked),
        population=len(cases),
        seed=seed,
        strata_by=by,
        strata=tuple(Stratum(k, len(strata[k]), quota[k]) for k in sorted(strata)),
        case_ids=tuple(c.case_id for c in picked),
        requested=n,
    )
    return picked, info

