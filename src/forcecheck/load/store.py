"""The disk store behind forcecheck's caches: pickles in a private directory.

An entry is never stale: a key hashes what the caller says the value depends on (a file's
bytes and path, say) with the code that made it: every forcecheck module's size and
modification time, the version of Python, and the installed code of PyYAML, pydantic and
pydantic-core (found, not imported). Change any of these and the key changes. Entries no key
names any more (a file edited, forcecheck upgraded) are never read again; the store is kept
under MAX_CACHE_BYTES by removing the least recently used entries. The store never makes a
command fail: an unreadable, corrupt or unwritable directory is ignored.

``FORCECHECK_CACHE_DIR`` sets the directory (default: ``$XDG_CACHE_HOME/forcecheck``, or
``~/.cache/forcecheck``); ``FORCECHECK_NO_CACHE=1`` turns it off.

Unpickling runs code named by the pickle, so anyone who could write to the directory could
make forcecheck run code. The directory is therefore created private (mode 700), and used
only while it is private: a directory that is not owned by the user running forcecheck, or
that its group or others may write to (say, a shared ``/tmp/cache``), is neither read nor
written, as if the store were turned off. One of the user's own that others may only read or
enter is made private, and emptied (see ``_private``).

Two caches use it: loaded policies, vocabularies and scenarios (forcecheck.load.cache), and the
validators pydantic builds for the file layouts (forcecheck.load.validation).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import stat
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

#: Bumped when what is pickled changes shape in a way the code fingerprint cannot see.
CACHE_FORMAT = 2
#: The cache holds at most this many bytes of entries. Past it, the least recently used
#: entries go, until a quarter of the room is free again: a trainer editing a drill a
#: thousand times leaves a thousand small entries, and entries of an older forcecheck are
#: never read again.
MAX_CACHE_BYTES = 64 * 1024 * 1024
#: An unfinished write (``*.tmp``) older than this many seconds was abandoned by a process
#: that died: trimming removes it.
ABANDONED_AFTER = 3600
_APART = "apart"


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    if os.environ.get("FORCECHECK_NO_CACHE"):
        return None
    configured = os.environ.get("FORCECHECK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "forcecheck"


def _private(directory: Path) -> bool:
    """Whether ``directory`` is a directory only the current user can use (mode 700).

    One of the user's own that others may read or enter but not write (755, from an older
    forcecheck or a loose umask) is made private first, and the entries it held are
    discarded: nobody else could have added an entry, but an entry file of a loose mode
    could have been rewritten.
    """
    try:
        info = directory.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no POSIX owner or mode bits to check
        return True
    if info.st_uid != getuid():
        return False
    if not info.st_mode & 0o077:
        return True
    if info.st_mode & 0o022:  # others could have written entries: never trusted, never fixed
        return False
    try:
        directory.chmod(0o700)
        trim(directory, limit=0)  # every entry goes
    except OSError:
        return False
    return True


#: Libraries whose code shapes what is cached: the YAML parser and the validator. Located
#: without importing them: a command that finds everything in the cache uses neither.
_LIBRARIES = ("yaml", "pydantic", "pydantic_core")


def _installed(name: str) -> str:
    """A library's installed code as its path, size and modification time ("" if absent)."""
    import importlib.util

    found = importlib.util.find_spec(name)
    if found is None or found.origin is None:
        return ""
    parts = [found.origin]
    # A package's version lives beside its __init__ (pydantic/version.py); any reinstall or
    # upgrade rewrites both.
    for path in (found.origin, os.path.join(os.path.dirname(found.origin), "version.py")):
        try:
            info = os.stat(path)
        except OSError:
            continue
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


@cache
def _code_fingerprint() -> bytes:
    """What the cached objects depend on: forcecheck's code and the libraries that read files."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}".encode())
    for name in _LIBRARIES:
        digest.update(f"|{name}:{_installed(name)}".encode())
    package = Path(__file__).resolve().parents[1]
    for module in sorted(package.rglob("*.py")):
        stat = module.stat()
        digest.update(f"|{module.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


def key(kind: str, shown: str, raw: bytes, extra: str = "") -> str:
    """The key of a ``kind`` of value made from ``raw`` (shown as ``shown``) and ``extra``."""
    # ``shown`` is e.g. the path as given, as the loaded object's messages will show it.
    digest = hashlib.sha256(_code_fingerprint())
    for part in (kind.encode(), shown.encode(), extra.encode(), raw):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, apart: object) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.apart = apart

    def persistent_id(self, obj: Any) -> str | None:
        # E.g. a policy refers to its vocabulary, which is loaded (and cached) on its own.
        return _APART if obj is self.apart and obj is not None else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, apart: object) -> None:
        super().__init__(file)
        self.apart = apart

    def persistent_load(self, pid: Any) -> Any:
        if pid != _APART or self.apart is None:
            raise pickle.UnpicklingError("unexpected reference in a cache entry")
        return self.apart


def load(key: str, apart: object = None) -> Any:
    """The value stored under ``key``, or None; ``apart`` as given to :func:`save`."""
    directory = cache_dir()
    if directory is None or not _private(directory):
        return None
    entry = directory / key
    try:
        data = entry.read_bytes()
        found = _Unpickler(io.BytesIO(data), apart).load()
    except Exception:
        # Missing, unreadable, truncated or from incompatible code: read the file afresh.
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used: the last to be trimmed
    return found


def save(key: str, value: Any, apart: object = None) -> None:
    """Store ``value`` under ``key``; ``apart`` (an object it refers to) is not pickled."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, apart).dump(value)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(directory):
            return  # someone else's, or shared: never write pickles others could swap
        partial = directory / f"{key}.{os.getpid()}.tmp"
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, directory / key)  # readers see the old entry or the whole new one
        trim(directory)
    except Exception:
        return  # an unwritable cache costs speed, never a command


def trim(directory: Path, limit: int | None = None) -> None:
    """Keep the cache under ``limit`` bytes (default MAX_CACHE_BYTES), least recently used out.

    Called after each write, which happens only on a cache miss. Only forcecheck's own files
    are touched: entries (named by a 64-digit hex key) and abandoned partial writes.
    """
    limit = MAX_CACHE_BYTES if limit is None else limit
    now = time.time()
    entries: list[tuple[float, int, str]] = []
    with os.scandir(directory) as listing:
        for item in listing:
            name = item.name
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if name.endswith(".tmp") and _is_key(name.split(".", 1)[0]):
                if now - info.st_mtime > ABANDONED_AFTER:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
            elif _is_key(name):
                entries.append((info.st_mtime, info.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    entries.sort()  # oldest use first
    for _, size, path in entries:
        if total <= limit * 3 // 4:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


def _is_key(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)
