"""Reading an input file: only a regular file, only up to a limit. Every file yos-audit reads is read here.

The export loader (JSON and TOML), the tables of a folder and the workbook, the column map, the config,
the waivers and the baseline all read their bytes with :func:`read_regular`. What is not a regular
file (``/dev/zero``, ``/dev/urandom``, a FIFO, a socket, a terminal) is refused before it is opened: a
device can be endless, and opening some has effects of its own. A file over the limit is refused
before it is read. Files are only ever opened for reading.

The counterpart of :mod:`rules.output`, which writes. (Here, not in :mod:`rules.load`: reading the
config must not load the loader.)
"""

from __future__ import annotations

import os
import stat

__all__ = ["MAX_FILE_BYTES", "MAX_SETTINGS_BYTES", "FileError", "read_regular", "size_text"]

#: the largest export, table, workbook or baseline read (documented in the README)
MAX_FILE_BYTES = 2 * 1024**3
#: the largest config, waivers file or column map read: TOML of ours, written by hand or by the UI
MAX_SETTINGS_BYTES = 64 * 1024**2

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class FileError(Exception):
    """A file that cannot be read; the message says why in a few plain words, without the file's name."""


def size_text(n: int) -> str:
    """``2 GiB``, ``64 MiB``, ``1.5 KiB``, ``10 bytes``."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _open(path: str | os.PathLike) -> int:
    """The descriptor of ``path``, opened for reading only (never blocking on a FIFO, never taking a
    terminal as the controlling one); the one place a file is opened for input."""
    return os.open(path, _FLAGS)


def read_regular(path: str | os.PathLike, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default :data:`MAX_FILE_BYTES`), or
    :class:`FileError` with one plain reason. ``what`` names the kind of file in messages ("config file":
    "no such config file", "is a folder, not a config file")."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        _check(os.stat(path), what, limit)  # what it is, before it is opened
        fd = _open(path)
    except FileNotFoundError:
        raise FileError(f"no such {what}") from None
    except PermissionError:
        raise FileError("permission denied") from None
    except OSError as exc:
        raise FileError(f"cannot read: {exc.strerror or exc}") from None
    try:
        with open(fd, "rb", buffering=0) as fh:
            st = os.fstat(fd)
            _check(st, what, limit)  # the file opened is the file looked at, not one swapped in since
            return _read_all(fh, st.st_size, limit)
    except OSError as exc:
        raise FileError(f"cannot read: {exc.strerror or exc}") from None


def _check(st: os.stat_result, what: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FileError(f"is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise FileError(f"is {_kind(st.st_mode)}, not a {what}: refused before reading")
    if st.st_size > limit:
        raise FileError(_too_large(size_text(st.st_size), limit))


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _read_all(fh, size: int, limit: int) -> bytes:
    """The whole file: the bytes it had when looked at, in one read where the system allows, then what
    it has grown by since, never more than ``limit`` (a file still being written; a file of /proc that
    says it is empty)."""
    parts, total = [], 0
    while part := fh.read(size + 1 - total if total <= size else 1 << 20):
        parts.append(part)
        total += len(part)
        if total > limit:
            raise FileError(_too_large(f"more than {size_text(limit)}", limit))
    return b"".join(parts)  # one part (the usual case): the same bytes, not a copy


def _too_large(shown: str, limit: int) -> str:
    return f"too large to load ({shown}; the limit is {size_text(limit)})"
