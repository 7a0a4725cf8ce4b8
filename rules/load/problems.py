"""Input problems: what was wrong with an export, named by file, case and field."""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

from rules.words import visible


class ProblemLevel(StrEnum):
    ERROR = "error"  # the case (or the whole file) is rejected: it is not audited
    WARNING = "warning"  # reported; the load goes on


@frozen
class InputProblem:
    level: ProblemLevel
    file: str
    message: str
    case_id: str | None = None
    #: the key as written in the export, dotted below the case: ``assessments[2].completed_on``
    field: str | None = None
    #: tables (CSV, workbook): the row as a spreadsheet counts it (the header is row 1) and the column
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}" if self.row is not None else f": column {self.column!r}"
        if self.case_id is not None:
            where += f": case {self.case_id}"
        if self.field:
            where += f": {self.field}"
        return visible(f"{where}: {self.level}: {self.message}")  # one line, whatever the data holds
