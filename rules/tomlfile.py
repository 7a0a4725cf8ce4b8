"""Read a TOML file of ours (config, waivers, column map) with one plain line for whatever is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from rules import files


class TomlFileError(Exception):
    """A TOML file that cannot be read; the message says why, without the file's name."""


def read_toml(path: Path, what: str = "file") -> dict[str, Any]:
    """The table of a TOML file; ``what`` names the kind of file in messages ("config file")."""
    try:
        text = files.read_regular(path, what, files.MAX_SETTINGS_BYTES).decode("utf-8-sig")
    except files.FileError as exc:
        raise TomlFileError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise TomlFileError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(f"not valid TOML: {exc}") from None
    except RecursionError:
        raise TomlFileError("not valid TOML: nested too deeply") from None
    except ValueError:  # what else tomllib raises: a number of thousands of digits
        raise TomlFileError("not valid TOML: a number too long to read") from None
