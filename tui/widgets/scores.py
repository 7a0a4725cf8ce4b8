"""Score bars: a criterion or headline theme as met / applicable, percent and band, one line each."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Static

from rules.scoring import Score

BAR = 16
#: band or rating -> theme colour
BAND_STYLE = {
    "MINIMUM": "$success", "MODERATE": "$warning", "SUBSTANTIAL": "$error", "DRASTIC": "bold $error",
    "Outstanding": "$success", "Good": "$success", "Requires improvement": "$warning", "Inadequate": "bold $error",
}


def bar_line(title: str, s: Score, width: int = 26) -> Content:
    label = (title[: width - 1] + "…") if len(title) > width else title.ljust(width)
    if s.shown is None:
        return Content.assemble((label, ""), " ", ("·" * BAR, "$foreground-muted"), ("   not applicable", "$foreground-muted"))
    filled = round(BAR * s.met / s.applicable)
    style = BAND_STYLE.get(s.band or "", "$primary")
    return Content.assemble(
        label, " ",
        ("█" * filled, style), ("░" * (BAR - filled), "$foreground-muted"),
        f" {s.shown:5.1f}% ", (f"{s.met}/{s.applicable}".ljust(8) + " ", "$foreground-muted"), (s.band or "", style),
    )


class ScoreBars(Static):
    """Bars for a list of scores; ``titles`` maps a score id to its label (default: id and title)."""

    def show(self, scores: Iterable[Score], label=lambda s: f"{s.id} {s.title}") -> None:
        self.update(Content("\n").join(bar_line(label(s), s) for s in scores))
