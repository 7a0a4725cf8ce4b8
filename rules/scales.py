"""Bands and ratings: named ranges of a percent, judged on the exact share, and the ``[scoring]`` table
of the config that moves their thresholds.

Each band has the lowest percent it takes. The defaults are the frameworks' (``rules/data/*.toml``,
:mod:`rules.frameworks`); the config changes them::

    [scoring.bands]        # 2009-2012 improvement bands (DRASTIC: below SUBSTANTIAL)
    MINIMUM = 75
    MODERATE = 50
    SUBSTANTIAL = 25
    [scoring.ratings]      # 2018+ ratings (Inadequate: below Requires improvement)
    Outstanding = 80
    Good = 65
    "Requires improvement" = 50

Only "75% MINIMUM, 74% MODERATE" is in our sources (the 2012 report); the lower cut-offs and the 2018+
figures are widely quoted assumptions, hence configurable. Keys are case-insensitive and
``requires_improvement`` is accepted for ``"Requires improvement"``.

**A percent that is not whole.** The band is judged on the exact share, never on a rounded figure:
a band takes every percent at or above its threshold, so 74.9% (or 74.99%) is MODERATE and 75.0%
MINIMUM. Reports print one decimal, rounded half up, except that a figure is never rounded up onto a
threshold it is below: 74.96% prints as 74.9, so a printed percent never contradicts its band.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from rules.errors import ConfigError
from rules.registry import short_repr

__all__ = ["Scale", "ScoringSettings", "display_percent"]


@frozen
class Scale:
    """Named bands, best first, each taking every percent at or above its threshold; the last band
    takes everything below the last threshold."""

    name: str
    #: (label, threshold) for every band but the last, best first, thresholds strictly falling
    thresholds: tuple[tuple[str, Fraction], ...]
    lowest: str
    #: points of each label (ratings: Outstanding 3 ... Inadequate 0); empty for bands without points
    points: Mapping[str, int] = field(factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.thresholds) + (self.lowest,)

    def classify(self, share) -> str | None:
        """The band of an exact percent (no rounding: 74.9 is below 75); None when nothing applied.
        ``share`` is a Fraction, a float, or anything with a ``share`` (a Tally)."""
        if share is not None and not isinstance(share, (Fraction, int, float)):
            share = share.share
        if share is None:
            return None
        for label, threshold in self.thresholds:
            if share >= threshold:
                return label
        return self.lowest

    def rank(self, label: str | None) -> int | None:
        """0 for the best label, 1 for the next...; None for None."""
        return None if label is None else self.labels.index(label)

    def describe(self) -> list[tuple[str, str]]:
        """(label, range) lines for a report: ``MODERATE``, ``50% to below 75%``."""
        out: list[tuple[str, str]] = []
        upper: Fraction | None = None
        for label, threshold in self.thresholds:
            t = _num(threshold)
            out.append((label, f"{t}% and above" if upper is None else f"{t}% to below {_num(upper)}%"))
            upper = threshold
        out.append((self.lowest, f"below {_num(upper)}%" if upper is not None else "any"))
        return out


def _num(x: Fraction) -> str:
    """A threshold as written: 75, 74.5."""
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


@frozen
class ScoringSettings:
    bands: Scale
    ratings: Scale


def norm(key: str) -> str:
    """A band's name as the config may write it: ``Requires improvement`` -> ``requires_improvement``."""
    return "_".join(str(key).strip().lower().replace("-", " ").split())


#: (key in the config, label, default threshold) of each band, best first
Spec = Sequence[tuple[str, str, Any]]


def checked_scale(name: str, spec: Spec, table: Any, where: str, points: Mapping[str, int] | None = None) -> Scale:
    """The scale ``spec`` with the thresholds a config's ``[scoring.NAME]`` table gives, checked:
    :class:`ConfigError` naming the key at fault."""
    path = f"{where}scoring.{name}"
    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path} must be a table of band = lowest percent, e.g. {spec[0][1]} = {spec[0][2]}")
    known = {key: (label, default) for key, label, default in spec}
    values: dict[str, tuple[str, Fraction]] = {}
    for raw_key, value in table.items():
        key = norm(raw_key)
        if key not in known:
            names = ", ".join(label for _, label, _ in spec)
            raise ConfigError(f"{path}.{raw_key}: unknown band (the {name} are {names})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError(f"{path}.{raw_key}: expected a percent (a number from 0 to 100), got {short_repr(value)}")
        if not 0 <= value <= 100:  # (math.isfinite cannot take an int too large for a float)
            raise ConfigError(f"{path}.{raw_key}: a percent must be from 0 to 100, got {short_repr(value)}")
        exact = Fraction(value) if isinstance(value, int) else Fraction(repr(value))
        values[key] = (str(raw_key), exact)
    lowest_key, lowest_label, _ = spec[-1]
    if lowest_key in values and values[lowest_key][1] != 0:
        raw, _ = values[lowest_key]
        raise ConfigError(
            f"{path}.{raw}: {lowest_label} takes every percent below {spec[-2][1]}; its threshold can only be 0"
        )
    thresholds: list[tuple[str, Fraction]] = []
    previous: tuple[str, Fraction] | None = None
    for key, label, default in spec[:-1]:
        raw, exact = values.get(key, (label, Fraction(default)))
        if previous is not None and exact >= previous[1]:
            raise ConfigError(
                f"{path}.{raw}: {label} = {_num(exact)} must be below {previous[0]} = {_num(previous[1])}"
                " (each band's threshold must be lower than the one above it)"
            )
        thresholds.append((label, exact))
        previous = (raw, exact)
    return Scale(name, tuple(thresholds), lowest_label, dict(points or {}))


def display_percent(share: Fraction | None, scale: Scale | None = None) -> float | None:
    """The percent as reports print it: one decimal, rounded half up, but never rounded up onto a
    band threshold of ``scale`` that the exact value is below (74.96 prints 74.9, so MODERATE)."""
    if share is None:
        return None
    tenths = math.floor(share * 10 + Fraction(1, 2))
    if scale is not None:
        shown = Fraction(tenths, 10)
        for _, threshold in scale.thresholds:
            if share < threshold <= shown:
                tenths = math.floor(share * 10)
                break
    return tenths / 10
