"""Draw a case sample the way inspectors do: a reproducible random sample, stratified by disposal.

Inspectors read "a representative sample of cases" (2012 report, Appendix 4 shows its sentence types).
``yos-audit score --sample N --seed S`` rehearses that: the caseload is split into strata by disposal
type (the legal outcome, e.g. REFERRAL_ORDER, YOUTH_REHABILITATION_ORDER; or the outcome group,
PRE_COURT ... CUSTODY), or, as HMIP's case samples are drawn (``court-team``, the review's default),
by court or out-of-court work and by team; each stratum gets its proportional share of N by the
largest-remainder method (ties to the larger stratum, then by name), and that many cases are drawn at
random within it.

:func:`sizing_advice` says what sample would narrow a rating's range, bounded by the 2025 framework's
smallest and largest case samples (14 and 91). The inspectorate's own sizing formula is not published:
the advice is the Wilson interval's arithmetic at the share found so far, nothing more.

The draw depends only on the seed, the stratum and the case ids, never on the order of the input or
on the Python run: the same caseload, N and seed give the same sample anywhere.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from attrs import frozen

from rules.model import Case, OutcomeGroup

#: How cases are grouped into strata: by legal outcome (the disposal), by outcome group, or by court or
#: out-of-court work and team.
STRATA = ("legal-outcome", "group", "court-team")
#: each way of stratifying, as the reports word it
STRATA_WORDS = {"legal-outcome": "legal outcome", "group": "outcome group", "court-team": "court or out-of-court work and team"}
UNKNOWN = "UNKNOWN"
#: the 2025 framework's case samples after its first year: 14 to 91 children's cases
SAMPLE_MIN, SAMPLE_MAX = 14, 91
#: the words of the advice that must never be left out
NOT_PUBLISHED = (
    "The inspectorate's own sample-sizing formula is not published: these sizes are the 95% Wilson "
    f"interval's arithmetic at the share found so far, bounded by the 2025 samples of {SAMPLE_MIN} to {SAMPLE_MAX} cases."
)


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
    """The stratum of a case: its legal outcome (else its group), its outcome group, or court or
    out-of-court work and its team (``court / North``)."""
    if by == "court-team":
        group = case.group
        work = UNKNOWN if group is None else "out-of-court" if group is OutcomeGroup.PRE_COURT else "court"
        return f"{work} / {case.team or '(no team)'}"
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



# -- what size would narrow a rating's range -------------------------------------------------------------


def _wilson_share(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson interval (percents) of a share ``p`` (0 to 1) of ``n`` answers."""
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z2 / (4 * n * n)) ** 0.5 / denom
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def answers_to_settle(share: float, ratings, most: int = 10_000) -> int | None:
    """The fewest answers whose 95% interval, at ``share`` (a percent), lies within one rating; None if
    not within ``most`` (a share on a threshold is never settled)."""
    from fractions import Fraction

    p = share / 100
    for n in range(1, most + 1):
        low, high = _wilson_share(p, n)
        if ratings.classify(Fraction(low)) == ratings.classify(Fraction(high)):
            return n
    return None


@frozen
class Sizing:
    """The advice for one standard (or the general line, ``standard`` None)."""

    standard: str | None
    text: str
    #: answers to the standard's lowest question that would settle its rating at the share so far
    answers: int | None = None
    #: the sample of cases that would give that many answers, within 14 to 91 (None: not within)
    cases: int | None = None

    def as_dict(self) -> dict:
        return {"standard": self.standard, "answers_needed": self.answers, "sample_needed": self.cases, "text": self.text}


def sizing_advice(result) -> list:
    """For each standard of a :class:`rules.review.ReviewResult`: at the share found so far (or, not
    yet reviewed, the share the records indicate), what sample would settle its rating, within
    :data:`SAMPLE_MIN` to :data:`SAMPLE_MAX` cases. First, in words, that HMIP's formula is not published."""
    import math

    roll = result.rollup
    ratings = roll.ratings
    out: list = [NOT_PUBLISHED]
    lo14 = _wilson_share(0.5, SAMPLE_MIN)
    lo91 = _wilson_share(0.5, SAMPLE_MAX)
    out.append(Sizing(None, (
        f"At half the answers yes, {SAMPLE_MIN} cases leave a range of {lo14[0]:.0f}-{lo14[1]:.0f}% and "
        f"{SAMPLE_MAX} cases {lo91[0]:.0f}-{lo91[1]:.0f}%."
    )))
    cases = max(result.cases, 1)
    for s in roll.standards:
        covered = result.covered.get(s.id, 0)
        reach = min(1.0, covered / cases) if covered else None
        label = f"{s.id} {s.standard.title}"
        if s.share is not None:
            share, basis = float(s.share), f"at {s.shown:.1f}% so far"
            low, high = s.rating_range
            if low == high:
                out.append(Sizing(s.id, f"{label}: {basis}, the sample settles it ({s.rating})."))
                continue
        elif s.indicated_share is not None:
            share, basis = float(s.indicated_share), f"not reviewed yet; at the {s.indicated_shown:.1f}% the records indicate"
        else:
            out.append(Sizing(s.id, f"{label}: nothing reviewed or indicated yet."))
            continue
        n = answers_to_settle(share, ratings)
        if n is None:
            out.append(Sizing(s.id, f"{label}: {basis}, the share sits on a threshold: no sample settles it."))
            continue
        sample = math.ceil(n / reach) if reach else None
        rating = ratings.classify(share)
        if sample is not None and sample <= SAMPLE_MAX:
            size = max(sample, SAMPLE_MIN)
            text = (f"{label}: {basis}, about {n} answers would settle it as {rating} if the share held: a sample of "
                    f"about {size} cases" + (f" ({reach:.0%} of cases are of this kind)" if reach < 1 else "") + ".")
            out.append(Sizing(s.id, text, n, size))
        else:
            text = (f"{label}: {basis}, about {n} answers would be needed to settle it as {rating}: more than a "
                    f"sample of {SAMPLE_MAX} cases gives; the rating stays a range.")
            out.append(Sizing(s.id, text, n, None))
    return out
