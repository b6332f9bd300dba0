"""Writing output files atomically: the whole new file, or the old one untouched.

A report is written to a hidden temporary file beside the target (``.NAME.XXXXXXXXXXXX.tmp``,
same directory, so same file system), flushed to disk, and only then renamed over the target;
a rename within one directory is atomic. If rendering fails, the process is interrupted
(Ctrl-C) or the disk fills up, the target keeps its old content and the temporary file is
removed. Only a hard kill (``kill -9``, power loss) can leave the temporary file behind, and
even then the target is never half-written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from forcecheck.errors import FileWriteError, Location, OutputExistsError

#: The suffix of temporary files (``.NAME.<12 hex digits>.tmp``).
TEMPORARY_SUFFIX = ".tmp"


def write_atomic(path: str | Path, text: str | Iterable[str], *, force: bool = False) -> None:
    """Write ``text`` (or each chunk of it, in order) to ``path`` as UTF-8, atomically.

    Without ``force`` an existing file is never replaced (:class:`OutputExistsError`), not
    even one created while the text was being written. An error while writing, including
    one raised by an iterable of chunks (a renderer failing half-way), leaves ``path`` as it
    was and no temporary file behind. Cannot write: :class:`FileWriteError`.
    """
    target = Path(path)
    shown = str(path)
    if target.is_dir():
        raise FileWriteError(
            "is a directory", location=Location(shown), help="name a file to write the report to"
        )
    if not force and target.exists():
        raise _exists(shown)
    chunks = [text] if isinstance(text, str) else text
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            try:
                _fill(fd, chunks, target)
            finally:
                os.close(fd)
            if force:
                os.replace(temporary, target)
            else:
                # link() refuses an existing name: no window between the check and the write.
                try:
                    os.link(temporary, target)
                except FileExistsError:
                    raise _exists(shown) from None
                temporary.unlink()
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FileWriteError(
            f"cannot write the file: {exc.strerror or exc}",
            location=Location(shown),
            help="check that the directory exists and that you may write to it",
        ) from None
    _sync_directory(target.parent)


def _exists(shown: str) -> OutputExistsError:
    return OutputExistsError(
        "the file already exists",
        location=Location(shown),
        help="pass --force to replace it, or name another file",
    )


def _fill(fd: int, chunks: Iterable[str], target: Path) -> None:
    """Write every chunk to ``fd``, keep the old file's permissions, and flush to disk."""
    # A replaced file keeps its mode; a new one gets the umask's (os.open's 0o666 above).
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))
    for chunk in chunks:
        view = memoryview(chunk.encode("utf-8"))
        while view:
            view = view[os.write(fd, view) :]
    os.fsync(fd)


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
