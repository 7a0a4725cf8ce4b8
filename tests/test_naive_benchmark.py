"""The benchmarks' yardstick (``benchmarks/naive.py``) gives the real rules' findings: a naive version
that did less than the rules would make the comparison flatter them. No timing here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from rules.catalogue import all_rules
from rules.demo import generate, write
from rules.engine import audit
from rules.load import load_paths

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("naive", ROOT / "benchmarks" / "naive.py")
naive = importlib.util.module_from_spec(spec)
spec.loader.exec_module(naive)


def _real(path: Path, as_of: dt.date) -> list[tuple]:
    result = load_paths([path])
    assert result.ok
    done = audit(result.caseload, as_of, [all_rules()[code] for code in naive.RULES])
    return sorted(
        (f.rule, f.case_id, f.record, f.severity.value, f.status.value, f.due_on and f.due_on.isoformat(),
         f.done_on and f.done_on.isoformat())
        for f in done.findings
    )


def _naive(path: Path, as_of: dt.date) -> list[tuple]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return sorted(
        (f["rule"], f["case_id"], f["record"], f["severity"], f["status"], f["due_on"], f["done_on"])
        for f in naive.findings(document, as_of)
    )


@pytest.mark.parametrize("as_of", [dt.date(2026, 11, 20), dt.date(2026, 4, 3)])
def test_the_naive_rules_find_what_the_real_ones_find_on_the_example(as_of):
    path = ROOT / "examples" / "caseload.json"
    real = _real(path, as_of)
    assert {f[0] for f in real} == set(naive.RULES)  # every rule has something to say: a real comparison
    assert _naive(path, as_of) == real


@pytest.mark.parametrize("seed", [1, 2])
def test_the_naive_rules_find_what_the_real_ones_find_on_a_demo_caseload(tmp_path, seed):
    path = tmp_path / "demo.json"
    as_of = dt.date(2026, 11, 20)
    write(generate(300, seed, as_of), path)
    real = _real(path, as_of)
    assert {f[3] for f in real} == {"error", "info"} and len(real) > 100
    assert _naive(path, as_of) == real


def test_the_naive_command_writes_its_findings(tmp_path):
    out = tmp_path / "findings.json"
    code = naive.main([str(ROOT / "examples" / "caseload.json"), "--as-of", "2026-11-20", "-o", str(out)])
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert code == 1 and doc["as_of"] == "2026-11-20" and doc["findings"]
    assert {"rule", "case_id", "severity", "due_on", "message"} <= doc["findings"][0].keys()
