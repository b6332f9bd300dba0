"""What a batch reads: its lines, in bounded blocks, and the policy files they name.

A line may be of any length and a policy path may name anything: here a line over the
limit is skipped as it is read (only counted, never held) and a policy path that is not a
regular file (``/dev/zero``, a FIFO) is refused before it is opened. Nothing here prints.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from forcecheck.engine.batch_json import printable
from forcecheck.errors import FileReadError, Location


def read_blocks(stream: BinaryIO, size: int, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Blocks of whole lines (about ``size`` bytes each) and the number of each first line.

    A line that runs on over more than ``limit`` bytes is not kept: it is read on to its
    end, only counted, and given as its length (an int) in place of a block. Each byte is
    copied at most twice, so the time is linear and the memory bounded, however long a line.
    """
    first_line = 1
    pieces: list[bytes] = []  # the start of a line that goes on in the next read
    held = 0  # their length
    skipped = -1  # while skipping an over-long line: its length so far
    while True:
        data = stream.read(size)
        if not data:
            break
        start = 0
        if skipped >= 0:
            end = data.find(b"\n")
            if end < 0:
                skipped += len(data)
                continue
            yield first_line, skipped + end
            first_line += 1
            skipped = -1
            start = end + 1
        cut = data.rfind(b"\n") + 1
        if cut <= start:  # no line end in (the rest of) this read
            held += len(data) - start
            if held > limit:
                skipped, pieces, held = held, [], 0
            else:
                pieces.append(data[start:] if start else data)
            continue
        if pieces:  # the first line of this read ends the line held
            end = data.find(b"\n")
            if held + end > limit:
                yield first_line, held + end
                first_line += 1
                start = end + 1
                pieces = []
        block = b"".join([*pieces, data[start:cut]]) if pieces else data[start:cut]
        pieces, held = [], 0
        if cut < len(data):
            held = len(data) - cut
            if held > limit:
                skipped, held = held, 0
            else:
                pieces.append(data[cut:])
        if block:
            yield first_line, block
            first_line += block.count(b"\n")
    if skipped >= 0:
        yield first_line, skipped
    elif pieces:
        yield first_line, b"".join(pieces)


def split_lines(block: bytes) -> list[bytes]:
    """The lines of a block, without their line ends."""
    lines = block.split(b"\n")
    if lines[-1] == b"":  # the block ends with a line end
        lines.pop()
    return lines


def check_policy_file(ref: str, base_dir: Path) -> None:
    """Refuse a policy path that is not a regular file (a device or FIFO may never end)."""
    path = Path(ref)
    if not path.is_absolute():
        path = base_dir / path
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return  # the loader says there is no such policy file
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise FileReadError(
            f"cannot read the policy file: {getattr(exc, 'strerror', None) or exc}",
            location=Location(printable(ref)),
            help="name a policy by id (see `forcecheck policies`) or by a readable path",
        ) from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
        raise FileReadError(
            f"the policy '{printable(ref)}' is not a regular file but {kind}",
            location=Location(printable(ref)),
            help="name a policy file, or a policy by id (see `forcecheck policies`)",
        )
