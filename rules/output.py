"""Safe writing: never over an input, whole or not at all. Every file the tool writes is written here.

- **Never over an input.** A :class:`Protected` holds every file a run read (each table of a folder,
  the workbook, the column map named or found, the config, the waivers and baseline files); a target
  that is one of them, by its resolved path or as the same file (a hard or symbolic link), is refused
  with one message before anything is written.
- **Whole or not at all.** A regular file is written to a temporary file in the same folder and moved
  over its name (``os.replace``) only once complete: an interrupt (Ctrl-C) or an error part way leaves
  the earlier file as it was and no temporary file behind. A symbolic link is written through to the
  file it names.
- **Modes.** A file the tool creates is readable by its owner only (it holds case data); a regular
  file it replaces keeps its mode (and, where the system lets it, its owner). A target that is not a
  regular file (``/dev/null``, a FIFO, a terminal) is written directly and its mode never touched.
- **Standard output** that is closed, full or gone is a one-line error (exit 2), or, for a reader
  that stopped early (``| head``), quietly nothing: the exit code still says what the audit found.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["OutputError", "Protected", "closed_streams", "run_inputs", "write_file", "write_output"]

#: what may be written: text, UTF-8 bytes, or either in pieces, each written as it comes
Data = str | bytes | Iterable[str | bytes]


class OutputError(Exception):
    """A file that may not or cannot be written: one plain line (the CLI's exit 2)."""


class Protected:
    """The files a run read, which nothing it writes may replace: compared by resolved path and as the
    same file (device and inode), so no spelling, symbolic link or hard link gets past it."""

    def __init__(self, paths: Iterable[str | os.PathLike | None] = ()):
        self._paths: set[Path] = set()
        self._files: set[tuple[int, int]] = set()
        for path in paths:
            self.add(path)

    def add(self, path: str | os.PathLike | None) -> None:
        if path is None or str(path) in ("", "-"):
            return
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            self._paths.add(Path(path).resolve())
        with contextlib.suppress(OSError, ValueError):
            st = os.stat(path)
            if not stat.S_ISDIR(st.st_mode):  # a folder is never written over; its files are listed
                self._files.add((st.st_dev, st.st_ino))

    def __contains__(self, path: str | os.PathLike) -> bool:
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            if Path(path).resolve() in self._paths:
                return True
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return False
        return (st.st_dev, st.st_ino) in self._files

    def check(self, path: str | os.PathLike) -> None:
        """:class:`OutputError` if ``path`` is one of the files read."""
        if path in self:
            raise OutputError(f"refusing to write over the input file {path}")


def run_inputs(load, config=None, *others: str | os.PathLike | None) -> Protected:
    """The files a run read: those of its load (:attr:`rules.load.LoadResult.files`), its config file
    (:attr:`rules.config.Config.file`) and ``others`` (the waivers file, a baseline): what the CLI and
    the terminal UI both protect."""
    return Protected([*load.files, getattr(config, "file", None), *others])


def write_file(path: str | os.PathLike, data: Data, protected: Protected | Iterable[str | os.PathLike | None] = ()) -> None:
    """Write ``data`` to ``path`` safely (see the module's text); :class:`OutputError` with one plain
    line when it may not or cannot be written. An interrupt is raised on once the file is cleaned up."""
    name = str(path)
    guard = protected if isinstance(protected, Protected) else Protected(protected)
    guard.check(path)
    target = Path(os.path.realpath(path))  # through symbolic links, to the file they name
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{name} is a folder")
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_in_place(target, data)
        else:
            _write_replacing(target, data, st)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from None


def _chunks(data: Data) -> Iterator[bytes]:
    if isinstance(data, str):
        yield data.encode("utf-8")
    elif isinstance(data, bytes | bytearray):
        yield bytes(data)
    else:
        for part in data:
            yield part.encode("utf-8") if isinstance(part, str) else part


def _write_in_place(target: Path, data: Data) -> None:
    """A device, FIFO or terminal: opened as it is (never created, truncated or made owner-only)."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "wb") as fh:
        for part in _chunks(data):
            fh.write(part)


def _write_replacing(target: Path, data: Data, old: os.stat_result | None) -> None:
    """A regular file: written beside its name (created owner-only) and moved there when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for part in _chunks(data):
                fh.write(part)
            fh.flush()
            if old is not None:  # replaced, not created: it keeps its mode (not set-id bits) and owner
                os.fchmod(fh.fileno(), stat.S_IMODE(old.st_mode) & 0o777)
                if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):
                        os.fchown(fh.fileno(), old.st_uid, old.st_gid)
            os.fsync(fh.fileno())  # whole on disk before it takes the name
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- standard output ------------------------------------------------------------------------------


class _Closed:
    """Stands for a standard stream that was closed when the process started (``>&-``): Python leaves
    it None. Writing the report there is an error; what is flushed or checked there is nothing."""

    def __init__(self, name: str, fail: bool):
        self.name, self.fail = name, fail

    @property
    def buffer(self) -> _Closed:
        return self

    def write(self, text) -> int:
        if self.fail:
            raise OutputError(f"cannot write to {self.name}: it is closed")
        return len(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise OSError(f"{self.name} is closed")

    def isatty(self) -> bool:
        return False


def closed_streams() -> None:
    """Called first thing by the CLI: a closed standard output fails the first write there with a
    plain error (exit 2); a closed standard error takes messages to nowhere, not (as ``print`` would
    with ``file=None``) into standard output, and the exit code still says what happened."""
    if sys.stdout is None:
        sys.stdout = _Closed("standard output", fail=True)
    if sys.stderr is None:
        sys.stderr = _Closed("standard error", fail=False)


def _stdout_gone() -> None:
    """Standard output's reader has gone: what is still to be written there goes nowhere, so that
    nothing later (the last flush at exit) fails on it. Standard error too if it is the same pipe
    (``2>&1 | head``): the problems printed after the report would break on it."""
    streams = [sys.stdout]
    try:
        out, err = os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno())
        if (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino):
            streams.append(sys.stderr)
    except (OSError, AttributeError, ValueError):  # a stream with no descriptor (tests)
        pass
    for stream in streams:
        try:
            stream.flush()
        except OSError:  # the pipe broken again, most likely
            pass
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        except (OSError, AttributeError, ValueError):
            pass


def write_output(text: Data, output: str | None, protected: Protected | Iterable[str | os.PathLike | None] = ()) -> None:
    """Standard output (``output`` None or ``-``), or the file ``output`` by :func:`write_file`, never
    over a ``protected`` file. ``text`` may be UTF-8 bytes in pieces, each written as it comes
    (:func:`rules.report.output`)."""
    if output is not None and output != "-":
        write_file(output, text, protected)
        return
    binary = getattr(sys.stdout, "buffer", None)
    try:
        if isinstance(text, str) or binary is None:  # (a standard output of text only: decoded)
            sys.stdout.write(text if isinstance(text, str) else b"".join(_chunks(text)).decode("utf-8"))
        else:
            sys.stdout.flush()
            for part in _chunks(text):
                binary.write(part)
        sys.stdout.flush()  # a full disk or a closed descriptor is found here, not at exit
    except BrokenPipeError:  # the reader stopped (`| head`): the exit code still says what the audit found
        _stdout_gone()
    except OSError as exc:  # nothing more goes there, and the last flush at exit does not fail again
        _stdout_gone()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
