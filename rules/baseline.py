"""Baselines: accept today's findings as known, and from then on report only new ones.

``yos-audit check PATH --baseline FILE`` writes the findings of the run to FILE (the report is printed
and the exit code judged as usual). ``yos-audit check PATH --since-baseline FILE`` leaves out every
finding the file holds: only new findings are reported, and only they decide the exit code. The
summary then counts what was left out as ``baselined``. Both options may name the same file, to
ratchet: report what is new, then take the new state as the baseline.

A finding is known by its content, never by a position or by its wording: the key is
:attr:`~rules.outcomes.Finding.key`, (rule, case_id, evidence, record). Messages say "45 days ago" and
due dates are worked out afresh each run, so neither is part of the key. The file is JSON::

    {
      "format": "yos-audit-baseline",
      "version": 1,
      "as_of": "2026-11-20",
      "findings": [
        {"rule": "ROH003", "case_id": "C-0001", "evidence": ["A2"], "record": null}
      ]
    }

- Only NOT_MET findings are written: an info reminder is not a gap, and a reminder that becomes
  overdue is news. Waived findings are written too: if the waiver expires, the gap is still known.
- Keys are counted: a key written twice covers two findings with that key, and a third is new.
- Entries are sorted, so the file diffs well under version control. It holds case ids, so it is
  written readable by its owner only.
- With ``--redact`` it holds pseudonyms, as the report does (``case-…``, ``rec-…``), and
  ``"redacted"``: a check of the key (``key-…``, the pseudonym of a fixed text: it tells keys apart
  and shows no more of the key than any pseudonym does). Pseudonyms are stable for a key, so a later ``--redact`` run with
  the same key compares its own findings in pseudonyms against it; without ``--redact``, or with
  another key, nothing could match, and the run stops with a usage error rather than report every
  finding as new. A baseline written without ``--redact`` may be used with or without it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rules.files import FileError, read_regular
from rules.outcomes import Finding, Status, finding_sort_key
from rules.registry import short_repr

FORMAT = "yos-audit-baseline"
VERSION = 1

Key = tuple[str, str, tuple[str, ...], str | None]


class Known(Counter):
    """The keys a baseline file holds, counted, and :attr:`redacted`: the check of the redaction
    key it was written with (``None``: written without ``--redact``)."""

    redacted: str | None = None


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the entry."""


def _entry(key: Key) -> dict[str, Any]:
    rule, case_id, evidence, record = key
    return {"rule": rule, "case_id": case_id, "evidence": list(evidence), "record": record}


def dumps(findings: Iterable[Finding], as_of: dt.date, redacted: str | None = None) -> str:
    """The baseline file for these findings; ``redacted``: they are redacted, with the key of this
    check (:func:`rules.redact.key_check`)."""
    keys = sorted((f.key for f in findings if f.status is Status.NOT_MET), key=lambda k: (k[0], k[1], k[2], k[3] or ""))
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "as_of": as_of.isoformat()}
    if redacted is not None:
        doc["redacted"] = redacted
    doc["findings"] = [_entry(k) for k in keys]
    from rules.report import jsontext

    return jsontext.dumps(doc) + "\n"


def load_baseline(path: Path | str) -> Known:
    """The keys a baseline file holds, counted (and whether it was written redacted)."""
    path = Path(path)
    try:
        data = json.loads(read_regular(path, "baseline file").decode("utf-8-sig"))
    except FileError as exc:
        raise BaselineError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BaselineError(f"{path}: not valid JSON: nested too deeply") from None
    except ValueError:  # what else json raises: an integer of thousands of digits
        raise BaselineError(f"{path}: not valid JSON: a number too long to read") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f"{path}: not a yos-audit baseline (format must be {FORMAT!r}; write one with --baseline)")
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {short_repr(data.get('version'))} is not one this tool reads ({VERSION})")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: findings must be a list")
    keys = Known()
    keys.redacted = data.get("redacted")
    if keys.redacted is not None and not isinstance(keys.redacted, str):
        raise BaselineError(f"{path}: redacted must be text (the check of the key it was written with)")
    for i, entry in enumerate(entries, 1):
        where = f"{path}: finding {i}"
        if not isinstance(entry, dict):
            raise BaselineError(f"{where}: must be an object with rule, case_id, evidence and record")
        rule, case_id, evidence, record = (entry.get(k) for k in ("rule", "case_id", "evidence", "record"))
        if not isinstance(rule, str) or not isinstance(case_id, str):
            raise BaselineError(f"{where}: rule and case_id must be text")
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise BaselineError(f"{where}: evidence must be a list of record ids")
        if record is not None and not isinstance(record, str):
            raise BaselineError(f"{where}: record must be text or null")
        keys[(rule, case_id, tuple(evidence), record)] += 1
    return keys


def since_baseline(findings: Sequence[Finding], known: Counter[Key]) -> tuple[tuple[Finding, ...], int]:
    """(the findings not in the baseline, in their order; how many were left out).

    Info reminders are always kept. Of findings sharing a key, the first in report order are the
    known ones.
    """
    hidden = in_baseline(findings, known)
    return tuple(f for i, f in enumerate(findings) if i not in hidden), len(hidden)


def in_baseline(findings: Sequence[Finding], known: Counter[Key]) -> set[int]:
    """The positions of the findings the baseline holds (see :func:`since_baseline`)."""
    left = Counter(known)
    hidden: set[int] = set()
    for i, f in sorted(enumerate(findings), key=lambda item: finding_sort_key(item[1])):
        if f.status is Status.NOT_MET and left[f.key] > 0:
            left[f.key] -= 1
            hidden.add(i)
    return hidden
