"""Score bars: a criterion or headline theme as met / applicable, percent and band, one line each.

Each bar is an option: Enter (or a click) on it opens the rules behind it."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

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


class ScoreBars(OptionList):
    """Bars for a list of scores, one option each (its id the score's); ``label`` gives a bar's title
    (default: id and title)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, classes="bars")
        self.scores: dict[str, Score] = {}

    def show(self, scores: Iterable[Score], label=lambda s: f"{s.id} {s.title}") -> None:
        scores = list(scores)
        self.scores = {s.id: s for s in scores}
        keep = self.highlighted
        self.clear_options()
        self.add_options(Option(bar_line(label(s), s), id=s.id) for s in scores)
        if keep is not None and keep < self.option_count:
            self.highlighted = keep
