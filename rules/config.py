"""Configuration from TOML: which rules run, their severities and options, and scoring settings.

Looked up, when no file is named, as ``yos-audit.toml`` in the current folder, else the
``[tool.yos-audit]`` table of ``pyproject.toml`` there. Every mistake is a :class:`ConfigError` with a
message naming the file and the key; the CLI turns it into exit code 2.

    select = ["ALL"]            # codes, prefixes ("ROH") or ALL
    ignore = ["ASM004"]
    fail_on = "error"           # error | warning | never
    [severity]
    ASM003 = "error"
    [rules.ASM001]
    working_days = 15
    [scoring]                   # read by rules.scoring
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w
from attrs import evolve, field, frozen

from rules import tomlfile
from rules.catalogue import all_rules, did_you_mean
from rules.errors import ConfigError
from rules.outcomes import Severity
from rules.registry import Option, Rule

CONFIG_NAME = "yos-audit.toml"
FAIL_ON = ("error", "warning", "never")
_KEYS = {"select", "ignore", "fail_on", "severity", "rules", "scoring", "waivers", "keys", "redact_key"}


@frozen
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    severities: Mapping[str, Severity] = field(factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(factory=dict)
    #: the raw ``[scoring]`` table, checked by :mod:`rules.scoring`
    scoring: Mapping[str, Any] = field(factory=dict)
    #: the waivers file named in the config, if any
    waivers: str | None = None
    #: terminal UI key bindings by id ("view.cases" = "k"), for users who need other keys
    keys: Mapping[str, str] = field(factory=dict)
    #: where this came from (None: built-in defaults)
    source: str | None = None
    #: the key of ``--redact``'s pseudonyms (the environment's YOS_AUDIT_REDACT_KEY wins): see rules.redact
    redact_key: str | None = None
    #: the file read for this config (a pyproject.toml read even if it had no [tool.yos-audit]): no
    #: output may overwrite it
    file: str | None = None

    def rules(self) -> list[Rule]:
        """The selected rules, in catalogue order."""
        return select_rules(self.select, self.ignore)

    def with_selection(self, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> Config:
        """Command-line ``--select`` replaces the config's selection; ``--ignore`` adds to it."""
        new = evolve(
            self,
            select=tuple(select) if select else self.select,
            ignore=self.ignore + tuple(ignore or ()),
        )
        new.rules()  # fail early on an unknown code
        return new


def expand(selectors: Iterable[str], where: str = "") -> set[str]:
    """Rule codes named by codes, prefixes or ALL (case-insensitive)."""
    codes = all_rules()
    out: set[str] = set()
    for raw in selectors:
        sel = raw.strip().upper()
        if not sel:
            continue
        if sel == "ALL":
            out.update(codes)
            continue
        matched = {c for c in codes if c.startswith(sel)}
        if not matched:
            raise ConfigError(f"{where}unknown rule code or prefix {raw!r}{did_you_mean(raw)} (see `yos-audit rules`)")
        out |= matched
    return out


def select_rules(select: Sequence[str], ignore: Sequence[str] = (), where: str = "") -> list[Rule]:
    chosen = expand(select, where) - expand(ignore, where)
    return [r for code, r in all_rules().items() if code in chosen]


def nothing_selected(config: Config) -> str | None:
    """A warning when the selection leaves no rule to run (``select = []``, ``ignore = ["ALL"]``): such a
    run checks nothing and finds nothing, which must not pass for an all-clear."""
    if config.rules():
        return None
    where = f" ({config.source})" if config.source else ""
    return (f"no rule selected: select = {list(config.select)}, ignore = {list(config.ignore)}{where}; "
            "the run checks nothing")


def _list_of_str(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule codes")
    return tuple(value)


def parse_config(data: Mapping[str, Any], source: str) -> Config:
    """A Config from the table of a config file; ``source`` names the file in errors."""
    for key in data:
        if key not in _KEYS:
            raise ConfigError(f"{source}: unknown key {key!r} (known: {', '.join(sorted(_KEYS))})")
    select = _list_of_str(data.get("select", ["ALL"]), f"{source}: select")
    ignore = _list_of_str(data.get("ignore", []), f"{source}: ignore")
    expand(select, f"{source}: select: ")
    expand(ignore, f"{source}: ignore: ")
    fail_on = data.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{source}: fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    codes = all_rules()
    severities = {}
    sev_table = data.get("severity", {})
    if not isinstance(sev_table, Mapping):
        raise ConfigError(f"{source}: [severity] must be a table of CODE = \"error\" | \"warning\" | \"info\"")
    for code, sev in sev_table.items():
        if code not in codes:
            raise ConfigError(f"{source}: severity: unknown rule code {code!r}{did_you_mean(code)}")
        try:
            severities[code] = Severity(sev)
        except ValueError:
            raise ConfigError(f"{source}: severity.{code}: must be error, warning or info, not {sev!r}") from None
    options: dict[str, dict[str, Any]] = {}
    rules_table = data.get("rules", {})
    if not isinstance(rules_table, Mapping):
        raise ConfigError(f"{source}: [rules] must hold one table a rule, e.g. [rules.ASM001]")
    for code, opts in rules_table.items():
        if code not in codes:
            raise ConfigError(f"{source}: rules: unknown rule code {code!r}{did_you_mean(code)}")
        if not isinstance(opts, Mapping):
            raise ConfigError(f"{source}: rules.{code} must be a table of options")
        known = codes[code].option_specs
        for name, value in opts.items():
            if name not in known:
                have = ", ".join(known) or "none"
                raise ConfigError(f"{source}: rules.{code}.{name}: unknown option (options of {code}: {have})")
            problem = known[name].problem(value)
            if problem is not None:
                raise ConfigError(f"{source}: rules.{code}.{name}: {problem}")
        options[code] = dict(opts)
    scoring = data.get("scoring", {})
    from rules.frameworks import scoring_settings

    scoring_settings(scoring, f"{source}: ")  # a bad [scoring] table is found when the config loads
    waivers = data.get("waivers")
    if waivers is not None and not isinstance(waivers, str):
        raise ConfigError(f"{source}: waivers must be a file name")
    redact_key = data.get("redact_key")
    if redact_key is not None and (not isinstance(redact_key, str) or not redact_key.strip()):
        raise ConfigError(f"{source}: redact_key must be text (a secret of your own, for --redact)")
    keys = data.get("keys", {})
    if not isinstance(keys, Mapping) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in keys.items()):
        raise ConfigError(f'{source}: [keys] maps binding ids to keys, e.g. "view.cases" = "k"')
    return Config(
        select=select, ignore=ignore, fail_on=fail_on, severities=severities, options=options,
        scoring=dict(scoring), waivers=waivers, keys=dict(keys), source=source, redact_key=redact_key,
    )


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomlfile.read_toml(path, "config file")
    except tomlfile.TomlFileError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_config(path: Path | str | None = None, cwd: Path | None = None) -> Config:
    """The named config file, else ``yos-audit.toml`` or ``[tool.yos-audit]`` in ``cwd``, else defaults."""
    if path is not None:
        return evolve(parse_config(read_toml(Path(path)), str(path)), file=str(path))
    cwd = cwd or Path.cwd()
    own = cwd / CONFIG_NAME
    if own.is_file():
        return evolve(parse_config(read_toml(own), str(own)), file=str(own))
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = read_toml(pyproject).get("tool", {}).get("yos-audit")
        if table is not None:
            if not isinstance(table, Mapping):
                raise ConfigError(f"{pyproject}: [tool.yos-audit] must be a table")
            return evolve(parse_config(table, f"{pyproject} [tool.yos-audit]"), file=str(pyproject))
        return Config(file=str(pyproject))
    return Config()


def default_config_toml() -> str:
    """The commented default config that ``yos-audit init`` writes: every option at its default."""
    rules = all_rules()
    parts = [
        "# yos-audit configuration. Every value below is the default; delete what you do not change.",
        "# Rules: `yos-audit rules` lists them, `yos-audit explain CODE` explains one.",
        "",
        "# Which rules run: codes (ROH003), prefixes (ROH) or ALL.",
        tomli_w.dumps({"select": ["ALL"], "ignore": []}).rstrip(),
        "# Exit code 1 when a finding is at or above this level: error, warning or never.",
        tomli_w.dumps({"fail_on": "error"}).rstrip(),
        "# The key of --redact's pseudonyms. Better kept out of a shared file: the environment variable",
        "# YOS_AUDIT_REDACT_KEY wins over it. Without either, a public built-in key is used.",
        '# redact_key = "a secret of your own"',
        "",
        "# Severity of each rule's findings: error, warning or info.",
        tomli_w.dumps({"severity": {code: r.severity.value for code, r in rules.items()}}).rstrip(),
        "",
        "# Timescales and thresholds. The defaults are the Asset-era national standards (2009-2013);",
        "# since 2019 services set their own, so set yours here.",
    ]
    parts.append("# Each option says the values it takes; a value outside them is a config error.")
    for code, r in rules.items():
        if r.option_specs:
            parts += ["", f"# {code} {r.name}: {r.summary}", f"[rules.{code}]"]
            parts += [_option_line(name, spec) for name, spec in r.option_specs.items()]
    from rules.frameworks import default_scoring_toml

    parts += ["", default_scoring_toml().rstrip()]
    return "\n".join(parts) + "\n"


def _option_line(name: str, spec: Option) -> str:
    """``working_days = 15   # 0 to 260 working days``: an option at its default, with its bounds."""
    return f"{tomli_w.dumps({name: spec.default}).strip():<36} # {spec.describe()}"
