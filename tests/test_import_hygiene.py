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


def _imports_of_rules() -> dict[str, set[str]]:
    """Each module of ``rules`` with the modules of ``rules`` it imports anywhere in it (in functions
    too: a lazy import is still a dependency)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    modules = {}
    for path in (root / "rules").rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
                found.update(submodules)
                if len(submodules) < len(node.names):  # a name defined in the module itself
                    found.add(base)
        graph[name] = set()
        for target in found:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def test_no_import_cycle_in_rules():
    """A newcomer can read ``rules`` bottom up: no module imports, even lazily, one that imports it back."""
    graph = _imports_of_rules()
    assert "rules.pipeline" in graph and "rules.engine" in graph["rules.pipeline"]  # the walk sees imports
    cycles = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []
