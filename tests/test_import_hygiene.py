"""rules/ is the headless core: importing any of it never imports textual (as Harlequin tests it)."""

import pkgutil
import subprocess
import sys

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
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
