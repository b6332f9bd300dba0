"""What forcecheck reads, and how much: every input's bytes, read once and bounded.

Every scenario, policy and vocabulary is read by :func:`read_input`: regular files only (a
device, a named pipe, a socket is refused without being read, and without blocking),
standard input (``-``) and process substitutions (``/dev/fd/N``) exactly once, and never
more than the size limit plus one byte, whatever the file claims its size to be. The caller
parses the bytes it gets (:func:`forcecheck.load.reader.parse_bytes`): reading again would
find a stream empty. See docs/reliability.md, "Input limits".
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from forcecheck.errors import FileReadError, Location

#: Files larger than this are refused (bytes). Override with FORCECHECK_MAX_FILE_BYTES.
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


def max_file_bytes() -> int:
    """The size limit for input files, from FORCECHECK_MAX_FILE_BYTES or the default."""
    raw = os.environ.get("FORCECHECK_MAX_FILE_BYTES", "")
    return int(raw) if raw.isdigit() else DEFAULT_MAX_FILE_BYTES


#: The name that means standard input, wherever a file is named.
STDIN = "-"
#: Paths naming a descriptor this process already holds: standard input, or a process
#: substitution such as ``<(cat f)`` (which the shell passes as /dev/fd/63).
_HELD_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/self/fd)/([0-9]+)")
_NOT_A_FILE_HELP = "name a .yaml or .json file, or - for standard input"
_TOO_LARGE_HELP = "split the file, or raise FORCECHECK_MAX_FILE_BYTES if it is genuine"


def input_name(path: str | Path) -> str:
    """How messages name the input at ``path``: ``<stdin>`` for ``-``, else the path."""
    return "<stdin>" if str(path) == STDIN else str(path)


def is_stream(path: str | Path) -> bool:
    """Whether ``path`` names standard input or a descriptor already open (``<(cat f)``)."""
    shown = str(path)
    return shown in (STDIN, "/dev/stdin") or _HELD_DESCRIPTOR.fullmatch(shown) is not None


def read_input(path: str | Path) -> tuple[str, bytes]:
    """The name to show for one input and its bytes, read once, never more than the limit.

    A regular file is read; ``-`` and ``/dev/stdin`` read standard input, and
    ``/dev/fd/N`` (a process substitution) reads descriptor N, each exactly once, so the
    caller must parse these very bytes (:func:`forcecheck.load.reader.parse_bytes`), not
    read again. Anything else (a device such as /dev/zero, a named pipe, a socket, a
    directory) is refused without being read, and a named pipe without blocking. At most
    :func:`max_file_bytes` plus one byte is ever read, whatever the file claims its size to
    be (a device or a pipe claims 0). Raises a located FileReadError.
    """
    shown = input_name(path)
    if not shown.isascii():
        _check_name(shown)
    limit = max_file_bytes()
    if is_stream(path):
        return shown, _read_stream(str(path), shown, limit)
    where = Location(shown)
    try:
        # stat() first so that a device or a pipe is refused without even being opened ...
        _check_regular(os.stat(path), where)
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc, where) from None
    try:
        # ... and fstat() of what was opened, in case the path was swapped in between.
        status = os.fstat(fd)
        _check_regular(status, where)
        if status.st_size > limit:
            raise FileReadError(
                f"file is {status.st_size} bytes, over the {limit}-byte limit",
                location=where,
                help=_TOO_LARGE_HELP,
            )
        return shown, _read_bounded(fd, limit, where)
    except OSError as exc:
        raise _unreadable(exc, where) from None
    finally:
        os.close(fd)


def _check_name(shown: str) -> None:
    """Refuse a file name that is not UTF-8 (its bytes reach Python as lone surrogates).

    Every report and message shows the name, and no output could encode it.
    """
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        raise FileReadError(
            "the file name is not UTF-8 text",
            location=Location(shown),
            help="rename the file (its name is shown in every report)",
        ) from None


#: Never block opening (a named pipe with no writer), never take a controlling terminal,
#: never translate line ends (Windows' text mode).
_OPEN_FLAGS = (
    getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def check_regular_file(path: str | Path, where: Location, subject: str = "") -> None:
    """Refuse ``path`` unless it is a regular file (or stdin), without opening it.

    For a caller that names the file in a message of its own, at ``where`` (a scenario's
    ``policy:`` line); ``subject`` starts that message (``"the policy file 'x' "``). A path
    that does not exist is left for the reader to report.
    """
    if is_stream(path):
        return
    try:
        status = os.stat(path)
    except OSError:
        return
    _check_regular(status, where, subject)


def _check_regular(status: os.stat_result, where: Location, subject: str = "") -> None:
    """Refuse anything but a regular file, naming what it is."""
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise FileReadError(
            f"{subject}is a directory, not a file", location=where, help=_NOT_A_FILE_HELP
        )
    kind = (
        "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a special file"
    )
    raise FileReadError(
        f"{subject}is {kind}, not a regular file; forcecheck reads only regular files",
        location=where,
        help=_NOT_A_FILE_HELP,
    )


def _unreadable(exc: OSError, where: Location) -> FileReadError:
    """The located error for a file the system would not open or read."""
    if isinstance(exc, FileNotFoundError):
        return FileReadError("no such file", location=where, help="check the path and try again")
    if isinstance(exc, PermissionError):
        return FileReadError(
            "cannot read file: permission denied",
            location=where,
            help="check the file's permissions (ls -l), or run as a user who may read it",
        )
    return FileReadError(
        f"cannot read file: {exc.strerror or type(exc).__name__}",
        location=where,
        help="check that the path names a readable .yaml or .json file",
    )


def _read_bounded(fd: int, limit: int, where: Location) -> bytes:
    """At most ``limit`` bytes from ``fd``; a FileReadError as soon as there is one more."""
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, min(limit + 1 - total, 1 << 20)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise FileReadError(
                f"more than {limit} bytes, over the {limit}-byte limit",
                location=where,
                help=_TOO_LARGE_HELP,
            )
    return b"".join(chunks)


def _read_stream(path: str, shown: str, limit: int) -> bytes:
    """Standard input, or the descriptor a /dev/fd/N path names, read once and bounded."""
    where = Location(shown)
    held = _HELD_DESCRIPTOR.fullmatch(path)
    fd = int(held[1]) if held else 0
    try:
        if fd == 0:
            # sys.stdin, not descriptor 0, so that a caller that replaced it is obeyed.
            stdin = sys.stdin.buffer if sys.stdin is not None else None
            if stdin is None:
                raise FileReadError(
                    "standard input is closed", location=where, help=_NOT_A_FILE_HELP
                )
            raw = stdin.read(limit + 1)
            if len(raw) > limit:
                raise FileReadError(
                    f"more than {limit} bytes, over the {limit}-byte limit",
                    location=where,
                    help=_TOO_LARGE_HELP,
                )
            return raw
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise FileReadError("is a directory, not a file", location=where, help=_NOT_A_FILE_HELP)
        return _read_bounded(fd, limit, where)
    except OSError as exc:
        raise _unreadable(exc, where) from None
