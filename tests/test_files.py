"""Nothing half-written: atomic output files, never replaced without --force."""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from forcecheck.cli.output import write_atomic
from forcecheck.errors import FileWriteError, OutputExistsError

from .conftest import ROOT, SCENARIOS, invoke

OLD = "the old report\n"
SCENARIO = SCENARIOS / "training" / "09-warning-shot.yaml"


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_writes_a_new_file(tmp_path: Path) -> None:
    write_atomic(tmp_path / "r.txt", "é report\n")
    assert (tmp_path / "r.txt").read_bytes() == "é report\n".encode()
    assert _names(tmp_path) == ["r.txt"]


def test_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text(OLD)
    with pytest.raises(OutputExistsError) as caught:
        write_atomic(target, "new\n")
    assert caught.value.render() == (
        f"{target}: error: the file already exists\n"
        "help: pass --force to replace it, or name another file"
    )
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["r.txt"]


def test_force_replaces_and_keeps_the_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text(OLD)
    target.chmod(0o640)
    write_atomic(target, ["new ", "report\n"], force=True)
    assert target.read_text() == "new report\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert _names(tmp_path) == ["r.txt"]


def test_a_render_error_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text(OLD)

    def failing_render() -> Iterator[str]:
        yield "half of a report\n" * 1000
        raise RuntimeError("renderer broke")

    with pytest.raises(RuntimeError, match="renderer broke"):
        write_atomic(target, failing_render(), force=True)
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["r.txt"]


def test_a_file_created_while_writing_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"

    def racing_render() -> Iterator[str]:
        yield "ours\n"
        target.write_text("theirs\n")  # another process got there first
        yield "more\n"

    with pytest.raises(OutputExistsError):
        write_atomic(target, racing_render())
    assert target.read_text() == "theirs\n"
    assert _names(tmp_path) == ["r.txt"]


def test_a_directory_or_a_missing_directory_is_a_write_error(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="is a directory"):
        write_atomic(tmp_path, "x")
    with pytest.raises(FileWriteError, match="cannot write the file: No such file"):
        write_atomic(tmp_path / "missing" / "r.txt", "x")


_CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from forcecheck.cli.output import write_atomic

    # A child of a background job starts with SIGINT ignored; a user's Ctrl-C is not.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def slow_report():
        yield "new report, first part\\n" * 10_000
        print("writing", flush=True)
        time.sleep(60)
        yield "never reached\\n"

    write_atomic(sys.argv[1], slow_report(), force=True)
    """
)


def _interrupt_mid_write(tmp_path: Path, sig: signal.Signals) -> Path:
    target = tmp_path / "r.txt"
    target.write_text(OLD)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        child.send_signal(sig)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.wait()
    assert child.returncode != 0
    if sig in (signal.SIGTERM, signal.SIGHUP):
        assert child.returncode == -sig  # the signal's own end, after the clean-up
    return target


def test_killed_mid_write_the_old_file_is_intact(tmp_path: Path) -> None:
    target = _interrupt_mid_write(tmp_path, signal.SIGKILL)
    assert target.read_text() == OLD
    # kill -9 runs no clean-up: at most the hidden temporary file remains, never a
    # half-written report under the target's name.
    [leftover] = [name for name in _names(tmp_path) if name != "r.txt"]
    assert leftover.startswith(".r.txt.") and leftover.endswith(".tmp")


def test_interrupted_mid_write_leaves_no_litter(tmp_path: Path) -> None:
    target = _interrupt_mid_write(tmp_path, signal.SIGINT)
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["r.txt"]


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_output_option_writes_what_stdout_would_show(tmp_path: Path, command: str) -> None:
    scenario = str(SCENARIOS / "incidents" / "franklin-park-2025-09-12.yaml")
    shown = invoke([command, scenario, "--format", "json"])
    target = tmp_path / "report.json"
    written = invoke([command, scenario, "--format", "json", "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == shown.stdout


def test_output_option_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text(OLD)
    refused = invoke(["evaluate", str(SCENARIO), "-o", str(target)])
    assert refused.exit_code == 3
    assert refused.stderr.startswith(f"{target}: error: the file already exists\n")
    assert target.read_text() == OLD
    forced = invoke(["evaluate", str(SCENARIO), "-o", str(target), "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("Scenario: Warning shot")


def test_a_failing_renderer_leaves_the_output_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forcecheck.render.table

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(forcecheck.render.table, "render_table", broken)
    target = tmp_path / "report.txt"
    target.write_text(OLD)
    result = invoke(["evaluate", str(SCENARIO), "-o", str(target), "--force"])
    assert result.exit_code == 4
    assert "internal error: RuntimeError: renderer broke" in result.stderr
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["report.txt"]


def test_a_full_disk_leaves_the_old_file_and_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.txt"
    target.write_text(OLD)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(FileWriteError, match="No space left on device"):
        write_atomic(target, "new report\n", force=True)
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["r.txt"]


# ---------------------------------------------------------------- special files (issue 17.8)


def _read_fifo(fifo: Path, got: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as stream:
            got.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_through_never_replaced(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    write_atomic(fifo, ["é report", "\n"], force=force)
    reader.join(timeout=10)
    assert got == ["é report\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(tmp_path) == ["out"]


def _device(tmp_path: Path, kind: int, major: int, minor: int) -> Path:
    node = tmp_path / "device"
    try:
        os.mknod(node, kind | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("cannot make device nodes here (not root)")
    return node


def test_a_character_device_is_written_through_never_replaced(tmp_path: Path) -> None:
    null = _device(tmp_path, stat.S_IFCHR, 1, 3)  # a /dev/null of our own, in tmp_path
    write_atomic(null, "report\n", force=True)
    write_atomic(null, "report\n")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert _names(tmp_path) == ["device"]


def test_a_symlink_to_a_device_writes_through_and_stays_a_link(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    write_atomic(link, "report\n", force=True)
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert _names(tmp_path) == ["out"]


def test_a_block_device_or_a_socket_is_refused(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "sock"
    server.bind(str(sock))
    try:
        with pytest.raises(FileWriteError) as caught:
            write_atomic(sock, "x", force=True)
        assert caught.value.render() == (
            f"{sock}: error: is a socket, not a file to write a report to\n"
            "help: name a regular file, a FIFO or a terminal, or - for standard output"
        )
        assert stat.S_ISSOCK(os.lstat(sock).st_mode)
    finally:
        server.close()
    block = _device(tmp_path, stat.S_IFBLK, 240, 250)  # a number no driver serves
    with pytest.raises(FileWriteError, match="is a block device"):
        write_atomic(block, "x", force=True)
    assert stat.S_ISBLK(os.lstat(block).st_mode)


def test_a_symlink_to_a_file_needs_force_and_replaces_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(OLD)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    with pytest.raises(OutputExistsError):
        write_atomic(link, "new\n")
    write_atomic(link, "new\n", force=True)
    assert link.is_symlink() and real.read_text() == "new\n"
    assert _names(tmp_path) == ["link.txt", "real.txt"]


def test_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("missing/elsewhere.txt")
    for force in (False, True):
        with pytest.raises(FileWriteError) as caught:
            write_atomic(link, "new\n", force=force)
        assert "a symbolic link to a missing file" in caught.value.render()
    assert link.is_symlink() and _names(tmp_path) == ["link.txt"]


def test_a_symlink_to_dev_stdout_writes_to_standard_output(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    command = [sys.executable, "-m", "forcecheck", "evaluate", str(SCENARIO), "--format"]
    shown = subprocess.run([*command, "json"], capture_output=True, text=True, cwd=ROOT)
    done = subprocess.run(
        [*command, "json", "-o", str(link), "--force"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown.stdout != ""
    assert link.is_symlink() and _names(tmp_path) == ["out"]


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", str(SCENARIO)],  # the fast path
        ["evaluate", str(SCENARIO), "--format", "markdown"],  # the typer application
        ["report", str(SCENARIO)],
        ["compare", str(SCENARIO)],
        ["schema", "scenario"],
    ],
    ids=lambda args: " ".join(args[:3:2]),
)
def test_output_dash_writes_standard_output(tmp_path: Path, args: list[str]) -> None:
    command = [sys.executable, "-m", "forcecheck", *args]
    shown = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    done = subprocess.run([*command, "-o", "-"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == shown.returncode == 0, done.stderr
    assert done.stdout == shown.stdout != ""
    assert _names(tmp_path) == []  # no file named "-"


# ---------------------------------------------------------------- signals (issue 17.9)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_terminated_mid_write_leaves_no_litter_and_dies_of_the_signal(
    tmp_path: Path, sig: signal.Signals
) -> None:
    target = _interrupt_mid_write(tmp_path, sig)
    assert target.read_text() == OLD
    assert _names(tmp_path) == ["r.txt"]


def test_signal_handlers_are_restored_after_a_write(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    write_atomic(tmp_path / "r.txt", "x")
    assert {s: signal.getsignal(s) for s in before} == before


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "link"])
def test_dev_stdout_redirected_to_a_file_is_written_through(tmp_path: Path, name: str) -> None:
    # `forcecheck ... -o /dev/stdout > out.txt`: the shell's own file is appended to, not
    # replaced behind its back (what the shell writes next would be lost) nor refused.
    (tmp_path / "link").symlink_to("/dev/stdout")
    out = tmp_path / "out.txt"
    out.write_text("before\n")
    inode = out.stat().st_ino
    command = [sys.executable, "-m", "forcecheck", "evaluate", str(SCENARIO), "--format", "json"]
    shown = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    with out.open("a") as stdout:
        done = subprocess.run(
            [*command, "-o", name],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
    assert done.returncode == 0, done.stderr
    assert out.read_text() == "before\n" + shown.stdout
    assert out.stat().st_ino == inode
    assert _names(tmp_path) == ["link", "out.txt"]
