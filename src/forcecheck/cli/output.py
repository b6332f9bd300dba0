"""Writing output files atomically: the whole new file, or the old one untouched.

A report is written to a hidden temporary file beside the target (``.NAME.XXXXXXXXXXXX.tmp``,
same directory, so same file system), flushed to disk, and only then renamed over the target;
a rename within one directory is atomic. If rendering fails, the process is interrupted
(Ctrl-C, SIGTERM, SIGHUP) or the disk fills up, the target keeps its old content and the
temporary file is removed. Only a hard kill (``kill -9``, power loss) can leave the
temporary file behind, and even then the target is never half-written.

What is not a regular file is never replaced:

* ``-`` is standard output (name a file called ``-`` as ``./-``);
* a character device (``/dev/null``, a terminal) or a FIFO is written to, as a shell's
  ``>`` would, with or without ``--force``: there is no old content to lose;
* a block device, a socket or a directory is refused;
* a symbolic link is followed: a link to a regular file has that file replaced (with
  ``--force``; the link stays a link), a link to a device or FIFO (``/dev/stdout``) is
  written through, a link to nothing is refused; a link through an open file descriptor
  (``/dev/stdout``, ``/dev/fd/1``) to a regular file (``-o /dev/stdout > out.txt``) is
  appended to: it is the shell's open file, which replacing would cut off.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

from forcecheck.errors import FileWriteError, Location, OutputExistsError

#: The suffix of temporary files (``.NAME.<12 hex digits>.tmp``).
TEMPORARY_SUFFIX = ".tmp"
#: Signals that end the process by default and can be caught: while a temporary file
#: exists, they remove it first (SIGINT does, as KeyboardInterrupt).
_CLEAN_UP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_HELP_KIND = "name a regular file, a FIFO or a terminal, or - for standard output"


def write_report(path: str | Path, text: str, *, force: bool = False) -> None:
    """Write a command's output with :func:`write_atomic`, and say on stderr where it went.

    ``Wrote report.html (182 kB).``: the path as given, once the file is whole. Standard
    output, a device or a FIFO gets no message (there is no file to point at, and the
    message would land among the output on a terminal).
    """
    if write_atomic(path, text, force=force):
        size = len(text.encode("utf-8"))
        shown = f"{size} bytes" if size < 1000 else f"{round(size / 1000)} kB"
        sys.stderr.write(f"Wrote {path} ({shown}).\n")
        sys.stderr.flush()


def write_atomic(path: str | Path, text: str | Iterable[str], *, force: bool = False) -> bool:
    """Write ``text`` (or each chunk of it, in order) to ``path`` as UTF-8, atomically.

    Without ``force`` an existing file is never replaced (:class:`OutputExistsError`), not
    even one created while the text was being written. An error while writing, including
    one raised by an iterable of chunks (a renderer failing half-way), leaves ``path`` as it
    was and no temporary file behind. ``-`` writes standard output; a device or FIFO is
    written through, never replaced (see the module's docstring). Cannot write:
    :class:`FileWriteError`. True when a regular file was created or replaced; False when
    the text went to standard output, a device, a FIFO or a file open on a descriptor.
    """
    chunks = [text] if isinstance(text, str) else text
    shown = str(path)
    if shown == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return False
    target = Path(path)
    mode = _mode(target, shown, follow=False)
    if mode is not None and stat.S_ISLNK(mode):
        mode = _mode(target, shown, follow=True)
        if mode is None:
            raise FileWriteError(
                "is a symbolic link to a missing file",
                location=Location(shown),
                help="remove the link, or name another file",
            )
        if stat.S_ISREG(mode):
            if _names_a_descriptor(target):
                # /dev/stdout redirected to a file (`-o /dev/stdout > out.txt`): the shell's
                # open file, appended to; replacing it would lose what the shell writes next.
                _write_through(target, chunks, shown, regular=True)
                return False
            # Replace the file the link names, beside it; the link stays as it is.
            target = Path(os.path.realpath(target))
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise FileWriteError(
                "is a directory",
                location=Location(shown),
                help="name a file to write the report to",
            )
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _write_through(target, chunks, shown)
            return False
        raise FileWriteError(
            f"is {_kind(mode)}, not a file to write a report to",
            location=Location(shown),
            help=_HELP_KIND,
        )
    if not force and mode is not None:
        raise _exists(shown)
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"
    try:
        with _removed_on_signals():
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                try:
                    _fill(fd, chunks, target)
                finally:
                    os.close(fd)
                if force:
                    os.replace(temporary, target)
                else:
                    # link() refuses an existing name: no window between the check and the
                    # write.
                    try:
                        os.link(temporary, target)
                    except FileExistsError:
                        raise _exists(shown) from None
                    temporary.unlink()
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise _cannot_write(exc, shown) from None
    _sync_directory(target.parent)
    return True


def _mode(target: Path, shown: str, *, follow: bool) -> int | None:
    """The file type and mode of ``target`` (of the link itself unless ``follow``), or None."""
    try:
        return os.stat(target, follow_symlinks=follow).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot_write(exc, shown) from None


def _kind(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _names_a_descriptor(target: Path) -> bool:
    """Whether the chain of links from ``target`` passes through an open file descriptor.

    ``/dev/stdout``, ``/dev/fd/1`` and links to them lead, through ``/proc/PID/fd/N``, to a
    file the process already has open (Linux; elsewhere ``/dev/fd/N``).
    """
    path = os.path.abspath(target)
    for _ in range(40):  # the kernel's own limit on a chain of links
        parent = os.path.realpath(os.path.dirname(path))
        if _DESCRIPTORS.fullmatch(parent):
            return True
        try:
            link = os.readlink(path)
        except OSError:  # not a link
            return False
        path = os.path.join(os.path.dirname(path), link)
    return False


_DESCRIPTORS = re.compile(r"/proc/\d+(/task/\d+)?/fd|/dev/fd")


def _write_through(
    target: Path, chunks: Iterable[str], shown: str, *, regular: bool = False
) -> None:
    """Write into a character device or FIFO (or, with ``regular``, an open file) as it is.

    No temporary file, nothing replaced, made or emptied (no O_CREAT, no O_TRUNC); O_APPEND,
    so that a file opened with ``>>`` is added to. A FIFO waits for a reader, as ``>`` does.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
        try:
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or (regular and stat.S_ISREG(mode))):
                # Swapped for another kind of file since it was looked at: write nothing.
                raise FileWriteError(
                    "changed while being opened", location=Location(shown), help=_HELP_KIND
                )
            for chunk in chunks:
                _write_all(fd, chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _cannot_write(exc, shown) from None


def _cannot_write(exc: OSError, shown: str) -> FileWriteError:
    return FileWriteError(
        f"cannot write the file: {exc.strerror or exc}",
        location=Location(shown),
        help="check that the directory exists and that you may write to it",
    )


def _exists(shown: str) -> OutputExistsError:
    return OutputExistsError(
        "the file already exists",
        location=Location(shown),
        help="pass --force to replace it, or name another file",
    )


class _Signalled(BaseException):
    """SIGTERM or SIGHUP arrived during a write (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _removed_on_signals() -> Iterator[None]:
    """Make SIGTERM and SIGHUP raise inside the block, then end the process as they would.

    The block's own clean-up (removing the temporary file) runs first; then the previous
    handlers are put back and the signal is sent again, so the process ends as it would
    have (by the signal, or through a handler the program had). A signal the process
    ignores (``nohup``) stays ignored; outside the main thread nothing changes (Python
    handles signals only there).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not caught:  # a second signal during the clean-up must not interrupt it
            caught.append(signum)
            raise _Signalled(signum)

    previous = {}
    for sig in _CLEAN_UP_SIGNALS:
        old = signal.getsignal(sig)
        if old is signal.SIG_IGN or old is None:  # ignored, or set outside Python
            continue
        previous[sig] = old
        signal.signal(sig, handler)
    try:
        yield
    except _Signalled:
        pass
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    if caught:
        os.kill(os.getpid(), caught[0])
        # Still here: the program's own handler chose to go on; the write did not happen.
        raise FileWriteError(
            f"interrupted by signal {caught[0]}: nothing was written",
            help="run the command again",
        )


def _fill(fd: int, chunks: Iterable[str], target: Path) -> None:
    """Write every chunk to ``fd``, keep the old file's permissions, and flush to disk."""
    # A replaced file keeps its mode; a new one gets the umask's (os.open's 0o666 above).
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))
    for chunk in chunks:
        _write_all(fd, chunk)
    os.fsync(fd)


def _write_all(fd: int, chunk: str) -> None:
    view = memoryview(chunk.encode("utf-8"))
    while view:
        view = view[os.write(fd, view) :]


def _sync_directory(directory: Path) -> None:
    """Flush the rename itself to disk, where the platform lets a directory be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
