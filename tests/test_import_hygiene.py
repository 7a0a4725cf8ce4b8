"""rules/ is the headless core: importing any of it never imports textual (as Harlequin tests it)."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import rules


def test_rules_never_imports_textual():
    modules = sorted(m.name for m in pkgutil.walk_packages(rules.__path__, "rules."))
    assert "rules.cli" in modules and "rules.engine" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import rules.catalogue; rules.catalogue.all_rules()\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.') or m == 'tui' or m.startswith('tui.')]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_check_imports_only_the_writer_of_its_format(tmp_path):
    """Every import is paid by every run: ``check`` loads the writer of the format asked for and no
    other, and no writer of scores or reviews (the parser names their formats, no more)."""
    from rules.report import _MODULES

    example = str(Path(rules.__file__).resolve().parent.parent / "examples" / "caseload.json")
    # a writer may use another's helpers (Markdown words closed cases as the text report does)
    for fmt, modules in (("json", {"json_"}), ("markdown", {"markdown", "text"}), ("junit", {"junit"})):
        code = (
            "import json, sys; from rules.cli import main\n"
            f"rc = main(['check', {example!r}, '--format', {fmt!r}, '-o', {str(tmp_path / fmt)!r}])\n"
            "print(json.dumps([m for m in sys.modules if m.startswith('rules.report.')]))\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert proc.returncode == 0 and (tmp_path / fmt).stat().st_size > 0, proc.stderr
        loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
        writers = {f"rules.report.{m}" for m in _MODULES.values()}
        assert loaded & writers == {f"rules.report.{m}" for m in modules}
        assert not any(m.startswith(("rules.report.score_", "rules.report.review_")) for m in loaded - {
            "rules.report.score_common", "rules.report.review_common"})
