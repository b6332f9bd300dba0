"""The disk store behind forcecheck's caches: JSON entries in a private directory.

An entry is never stale: a key hashes what the caller says the value depends on (a file's
bytes and path, say) with the code that made it: every forcecheck module's size and
modification time, the version of Python, and the installed code of PyYAML, pydantic and
pydantic-core (found, not imported). Change any of these and the key changes. Entries no key
names any more (a file edited, forcecheck upgraded) are never read again; the store is kept
under MAX_CACHE_BYTES by removing the least recently used entries. The store never makes a
command fail: an unreadable, corrupt or unwritable directory is ignored.

``FORCECHECK_CACHE_DIR`` sets the directory (default: ``$XDG_CACHE_HOME/forcecheck``, or
``~/.cache/forcecheck``); ``FORCECHECK_NO_CACHE=1`` turns it off.

What is read back can never run code: an entry is JSON text (plain data, never a pickle),
which the callers turn back into records checked field by field (forcecheck.load.plain); an
entry that does not parse, or holds something else, is a miss. The directory is still kept
private, so that nobody else can plant or read entries:

- it is reached through directory descriptors, one path component at a time, never
  following a symbolic link unless it sits in a directory that only root or the user can
  write, and the last component never (``O_NOFOLLOW``); everything after that (reading,
  writing, renaming, trimming) goes through the descriptor (``dir_fd=``), never through the
  path again, so swapping a folder in a writable parent between a check and a use changes
  nothing;
- it is used only when the user running forcecheck owns it and nobody else may write to it;
  one of the user's own that others may read or enter (from a loose umask) is made private
  and emptied, unless a symbolic link led to it;
- an entry is opened with ``O_NOFOLLOW`` and read only when it is a regular file the user
  owns, that nobody else may write, of at most MAX_ENTRY_BYTES.

See docs/reliability.md. Two caches use it: loaded policies, vocabularies and scenarios
(forcecheck.load.cache), and the validators of the file layouts (forcecheck.load.validation).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

#: Bumped when what is stored changes shape in a way the code fingerprint cannot see.
CACHE_FORMAT = 3
#: The cache holds at most this many bytes of entries. Past it, the least recently used
#: entries go, until a quarter of the room is free again: a trainer editing a drill a
#: thousand times leaves a thousand small entries, and entries of an older forcecheck are
#: never read again.
MAX_CACHE_BYTES = 64 * 1024 * 1024
#: An entry larger than this is neither written nor read.
MAX_ENTRY_BYTES = 16 * 1024 * 1024
#: An unfinished write (``*.tmp``) older than this many seconds was abandoned by a process
#: that died: trimming removes it.
ABANDONED_AFTER = 3600
#: How many symbolic links reaching the directory may be followed (as the kernel's 40).
_MAX_LINKS = 40

_O_DIR = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
#: Whether this platform can open files relative to a directory descriptor without following
#: links: without that (Windows), the cache is off.
_SUPPORTED = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and os.unlink in os.supports_dir_fd
    and os.rename in os.supports_dir_fd
    and os.scandir in os.supports_fd
)


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    if os.environ.get("FORCECHECK_NO_CACHE"):
        return None
    configured = os.environ.get("FORCECHECK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "forcecheck"


# ---------------------------------------------------------------- the directory


def _trusted_parent(info: os.stat_result) -> bool:
    """Whether a directory's links can be followed: only root or the user can change it."""
    return info.st_uid in (0, os.geteuid()) and not info.st_mode & 0o022


def _steady_parent(info: os.stat_result) -> bool:
    """Whether only root or the user can rename what a directory holds (sticky: as /tmp)."""
    return info.st_uid in (0, os.geteuid()) and (
        not info.st_mode & 0o022 or bool(info.st_mode & stat.S_ISVTX)
    )


def _walk(path: Path, create: bool) -> tuple[int, bool] | None:
    """A descriptor of the directory at ``path``, and whether only the user reached it; or None.

    Each component is opened relative to the one before with ``O_NOFOLLOW``. A component
    that is a symbolic link is followed only when the directory holding it is
    :func:`_trusted_parent`; the last component never is. Missing directories are created
    (mode 700) when ``create`` is set. The flag is false when a link was followed or a
    directory on the way could be changed by someone else: then the directory is never
    modified beyond its entries (see :func:`_private`).
    """
    pending = list(reversed(path.parts))
    try:
        current = os.open("/" if path.is_absolute() else ".", _O_DIR)
    except OSError:
        return None
    mine = True
    links = 0
    try:
        while pending:
            part = pending.pop()
            if part in ("/", "", "."):
                continue
            last = not pending
            if mine and not _steady_parent(os.fstat(current)):
                mine = False
            try:
                following = os.open(part, _O_DIR, dir_fd=current)
            except OSError as exc:
                if exc.errno == errno.ENOENT and create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o700, dir_fd=current)
                    following = os.open(part, _O_DIR, dir_fd=current)
                elif exc.errno in (errno.ELOOP, errno.ENOTDIR) and not last:
                    # A link (or not a directory): follow only a link the user or root put
                    # in a directory nobody else can write to.
                    links += 1
                    if links > _MAX_LINKS or not _trusted_parent(os.fstat(current)):
                        raise
                    target = os.readlink(part, dir_fd=current)
                    mine = False
                    if target.startswith("/"):
                        root = os.open("/", _O_DIR)
                        os.close(current)
                        current = root
                    pending.extend(reversed(Path(target).parts))
                    continue
                else:
                    raise
            os.close(current)
            current = following
        return current, mine
    except (OSError, ValueError):  # ValueError: a NUL or an unencodable character in the path
        with contextlib.suppress(OSError):
            os.close(current)
        return None


def _empty(directory: int) -> None:
    trim(directory, limit=0)


@contextlib.contextmanager
def opened(create: bool = False) -> Iterator[int | None]:
    """A descriptor of the cache directory, when it is the user's own and private, else None.

    One of the user's own that others may read or enter but not write (755, from an older
    forcecheck or a loose umask) is made private first, and its entries discarded (others
    could read them) -- unless a symbolic link led to it, or it sits in a directory someone
    else could change: then it is left alone and unused.
    """
    path = cache_dir()
    found = _walk(path, create) if path is not None and _SUPPORTED else None
    if found is None:
        yield None
        return
    directory, mine = found
    try:
        yield directory if _private(directory, mine) else None
    finally:
        os.close(directory)


def _private(directory: int, mine: bool) -> bool:
    try:
        info = os.fstat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return False
    if not info.st_mode & 0o077:
        return True
    if info.st_mode & 0o022 or not mine:  # others could have written entries; not ours to fix
        return False
    try:
        os.fchmod(directory, 0o700)
        _empty(directory)
    except OSError:
        return False
    return True


# ---------------------------------------------------------------- keys

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
        info = module.stat()
        digest.update(f"|{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.digest()


def key(kind: str, shown: str, raw: bytes, extra: str = "") -> str:
    """The key of a ``kind`` of value made from ``raw`` (shown as ``shown``) and ``extra``."""
    # ``shown`` is e.g. the path as given, as the loaded object's messages will show it.
    digest = hashlib.sha256(_code_fingerprint())
    for part in (kind.encode(), shown.encode(), extra.encode(), raw):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


# ---------------------------------------------------------------- entries


def load(key: str) -> Any:
    """The plain data (JSON) stored under ``key``, or None.

    Only data comes back: the caller rebuilds, and checks, what it stands for.
    """
    if not _is_key(key):
        return None
    with opened() as directory:
        if directory is None:
            return None
        try:
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            entry = os.open(key, flags, dir_fd=directory)
        except OSError:
            return None  # missing, or a link: a miss
        try:
            info = os.fstat(entry)
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.geteuid()
                or info.st_mode & 0o022
                or info.st_size > MAX_ENTRY_BYTES
            ):
                return None
            raw = _read(entry)
            stored = json.loads(raw) if raw is not None else None
            if (
                type(stored) is not dict
                or stored.get("format") != CACHE_FORMAT
                or stored.get("key") != key
                or "value" not in stored
            ):
                return None  # truncated, corrupt, or made by another forcecheck
            with contextlib.suppress(OSError):
                os.utime(entry)  # recently used: the last to be trimmed
            return stored["value"]
        except Exception:  # unreadable or not JSON (ValueError, RecursionError): a miss
            return None
        finally:
            os.close(entry)


def _read(entry: int) -> bytes | None:
    """At most MAX_ENTRY_BYTES of the open file, or None if it holds more."""
    chunks = []
    left = MAX_ENTRY_BYTES + 1
    while left > 0:
        chunk = os.read(entry, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return None if left <= 0 else b"".join(chunks)


def save(key: str, value: Any) -> None:
    """Store ``value`` (plain data: what JSON holds) under ``key``."""
    if not _is_key(key) or cache_dir() is None:
        return
    try:
        text = json.dumps(
            {"format": CACHE_FORMAT, "key": key, "value": value},
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        ).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return  # not plain data (or text that cannot be written as UTF-8): not stored
    if len(text) > MAX_ENTRY_BYTES:
        return
    with opened(create=True) as directory:
        if directory is None:
            return  # someone else's, shared, or reached unsafely: never written
        partial = f"{key}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            entry = os.open(partial, flags, 0o600, dir_fd=directory)
            try:
                view = memoryview(text)
                while view:
                    view = view[os.write(entry, view) :]
            finally:
                os.close(entry)
            # Readers see the old entry or the whole new one.
            os.rename(partial, key, src_dir_fd=directory, dst_dir_fd=directory)
            trim(directory)
        except Exception:
            with contextlib.suppress(OSError):
                os.unlink(partial, dir_fd=directory)
            return  # an unwritable cache costs speed, never a command


def trim(directory: int, limit: int | None = None) -> None:
    """Keep the cache under ``limit`` bytes (default MAX_CACHE_BYTES), least recently used out.

    ``directory`` is a descriptor of the cache directory. Called after each write, which
    happens only on a cache miss. Only forcecheck's own names are touched: entries (a
    64-digit hex key) and abandoned partial writes. A name of an entry that is not a regular
    file (a link, say) is removed at once; removing it never touches what it points at.
    """
    limit = MAX_CACHE_BYTES if limit is None else limit
    now = time.time()
    entries: list[tuple[float, int, str]] = []
    with os.scandir(directory) as listing:
        for item in listing:
            name = item.name
            partial = name.endswith(".tmp") and _is_key(name.split(".", 1)[0])
            if not partial and not _is_key(name):
                continue
            try:
                info = os.stat(name, dir_fd=directory, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode) or (
                partial and now - info.st_mtime > ABANDONED_AFTER
            ):
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=directory)
            elif not partial:
                entries.append((info.st_mtime, info.st_size, name))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    entries.sort()  # oldest use first
    for _, size, name in entries:
        if total <= limit * 3 // 4:
            break
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=directory)
            total -= size


def _is_key(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)
