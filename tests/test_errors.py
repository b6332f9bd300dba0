"""Bad input: one clear located message, a help line, exit code 3, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcecheck.errors import visible

from .conftest import ROOT, invoke, run_process

CASES: dict[str, tuple[str, str | bytes, str, str | None]] = {
    # name: (file name, content, expected first line (after the path), expected help fragment)
    "malformed yaml": (
        "s.yaml",
        "facts:\n  subject_fleeing: [true\n",
        ":3:1: error: malformed YAML or JSON",
        "indentation",
    ),
    "malformed json": (
        "s.json",
        '{"facts": {"subject_fleeing": true,}\n',
        ":1:36: error: malformed JSON",
        "quotes",
    ),
    "unknown top-level key": (
        "s.yaml",
        "policy: dhs-2023\nfacs:\n  subject_fleeing: true\n",
        ":2:1: error: unknown key 'facs'",
        "did you mean 'facts'?",
    ),
    "unknown key in a fact entry": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  subject_fleeing: {value: true, qoute: x}\n",
        ":3:34: error: unknown key 'qoute'",
        "did you mean 'quote'?",
    ),
    "misspelled fact id": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  subject_fleing: true\n",
        ":3:3: error: unknown fact 'subject_fleing'",
        "did you mean 'subject_fleeing'?",
    ),
    "wrong value type": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  subject_fleeing: maybe\n",
        ":3:20: error: fact 'subject_fleeing': a fact value must be true, false or unknown, "
        "not 'maybe'",
        None,
    ),
    "number as a fact value": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  warning_shot: 1\n",
        ":3:17: error: fact 'warning_shot': a fact value must be true, false or unknown, not 1",
        None,
    ),
    "yaml 1.1 boolean": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  warning_shot: yes\n",
        ":3:17: error: 'yes' is ambiguous in YAML",
        "write true or false",
    ),
    "null as a fact value": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  warning_shot: ~\n",
        ":3:17: error: fact 'warning_shot': null is not a fact value",
        None,
    ),
    "duplicate key": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  warning_shot: true\n  warning_shot: false\n",
        ":4:3: error: duplicate key 'warning_shot'",
        "already given at line 3",
    ),
    "facts is a list": (
        "s.yaml",
        "policy: dhs-2023\nfacts:\n  - warning_shot\n",
        ":3:3: error: 'facts': expected a mapping (key: value lines), not a list",
        "write `key: value` lines here",
    ),
    "unknown policy id": (
        "s.yaml",
        "policy: dhs-2032\nfacts:\n  warning_shot: true\n",
        ":1:9: error: unknown policy 'dhs-2032'",
        "did you mean 'dhs-2023'?",
    ),
    "no policy at all": (
        "s.yaml",
        "facts:\n  warning_shot: true\n",
        ":1:1: error: the scenario names no policy",
        "--policy",
    ),
    "empty file": ("s.yaml", "\n", ": error: file is empty", "facts"),
    "unsafe tag": (
        "s.yaml",
        "policy: !!python/object/apply:os.system [echo hi]\nfacts: {}\n",
        ":1:9: error: the tag '!!python/object/apply:os.system' is not allowed",
        "remove it",
    ),
    "missing source": (
        "s.yaml",
        "sources:\n  a: {title: A}\npolicy: dhs-2023\naccounts:\n  x:\n    source: b\n"
        "    facts: {warning_shot: true}\n",
        ":6:13: error: no source named 'b'",
        None,
    ),
    "facts and accounts together": (
        "s.yaml",
        "policy: dhs-2023\nfacts: {}\naccounts:\n  a: {facts: {}}\n",
        ":3:1: error: a scenario has either `facts` or `accounts`, not both",
        "account",
    ),
    "expectation names a missing account": (
        "s.yaml",
        "policy: dhs-2023\naccounts:\n  a: {facts: {}}\nexpect:\n  accounts:\n    b: {}\n",
        ":6:5: error: `expect` names an account 'b'",
        None,
    ),
    "expectation names a missing condition": (
        "s.yaml",
        "policy: dhs-2023\nfacts: {}\nexpect:\n  conditions:\n    verbal_warning_rul: met\n",
        ":5:5: error: `expect` names a condition 'verbal_warning_rul'",
        "did you mean 'verbal_warning_rule'?",
    ),
    "impossible date": (
        "s.yaml",
        "policy: dhs-2023\nfacts: {}\ndate: 2025-13-45\n",
        ":3:7: error: '2025-13-45' is not a valid date",
        "YYYY-MM-DD",
    ),
    "quoted boolean": (
        "s.yaml",
        'policy: dhs-2023\nfacts: {warning_shot: "true"}\n',
        ":2:23: error: fact 'warning_shot': 'true' is quoted text",
        "unquoted",
    ),
    "json trailing comma": (
        "s.json",
        '{"policy": "dhs-2023", "facts": {"warning_shot": true,}}',
        ":1:55: error: malformed JSON",
        "no trailing commas",
    ),
    "comments only": (
        "s.yaml",
        "# nothing here\n",
        ": error: the file holds only comments",
        "facts",
    ),
    "not utf-8": (
        "s.yaml",
        b"facts:\n  warning_shot: tr\xffue\n",
        ":2:19: error: not UTF-8",
        "UTF-8",
    ),
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_located_error(tmp_path: Path, case: str) -> None:
    name, content, first_line, help_fragment = CASES[case]
    path = _write(tmp_path, name, content)
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(str(path) + first_line), lines[0]
    if help_fragment is not None:
        assert len(lines) == 2 and lines[1].startswith("help: ") and help_fragment in lines[1]
    else:
        assert len(lines) <= 2


def test_missing_file(tmp_path: Path) -> None:
    result = invoke(["evaluate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}: error: no such file")


def test_unknown_policy_on_the_command_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.yaml", "facts: {warning_shot: true}\n")
    result = invoke(["evaluate", str(path), "--policy", "dhs-2203"])
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "error: unknown policy 'dhs-2203'",
        "help: did you mean 'dhs-2023'?",
    ]


def test_unknown_account(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.yaml", "policy: dhs-2023\naccounts:\n  agency: {facts: {}}\n")
    result = invoke(["evaluate", str(path), "--account", "agncy"])
    assert result.exit_code == 3
    assert "no account 'agncy'" in result.stderr and "did you mean 'agency'?" in result.stderr


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\nfacts: {}\n")
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3
    assert "expands to more than" in result.stderr


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCECHECK_MAX_FILE_BYTES", "100")
    path = _write(tmp_path, "big.yaml", "facts: {}\n" + "#" * 200 + "\n")
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3
    assert "over the 100-byte limit" in result.stderr


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.yaml", "policy: dhs-2023\nfacts:\n  subject_fleing: true\n")
    proc = run_process(["evaluate", str(path)])
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr == (
        f"{path}:3:3: error: unknown fact 'subject_fleing'\nhelp: did you mean 'subject_fleeing'?\n"
    )


def test_usage_errors_exit_2() -> None:
    proc = run_process(["evaluate"])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- names shown in messages

#: A fact name that would retitle a terminal (OSC), recolour it (CSI) and forge a help line.
HOSTILE_KEY = "\x1b]0;pwned\x07\x1b[31mx\nhelp: run rm -rf ~"
HOSTILE_SHOWN = r"\x1b]0;pwned\x07\x1b[31mx\nhelp: run rm -rf ~"


def _hostile_scenario(tmp_path: Path) -> Path:
    key = HOSTILE_KEY.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\n", "\\n")
    return _write(tmp_path, "s.yaml", f'policy: dhs-2023\nfacts:\n  "{key}": true\n')


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_a_hostile_key_reaches_stderr_escaped_on_one_line(tmp_path: Path, command: str) -> None:
    path = _hostile_scenario(tmp_path)
    proc = run_process([command, str(path)])
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == [
        f"{path}:3:3: error: unknown fact '{HOSTILE_SHOWN}'",
        f"help: the facts are declared in {ROOT / 'policy' / 'facts.yaml'}",
    ]


def test_lint_shows_a_hostile_key_escaped(tmp_path: Path) -> None:
    path = _hostile_scenario(tmp_path)
    result = invoke(["lint", str(path)])
    assert result.exit_code == 3
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"unknown fact '{HOSTILE_SHOWN}'" in result.stdout.splitlines()[0]


def test_a_hostile_file_name_is_escaped_too(tmp_path: Path) -> None:
    name = "s\x1b[2J\nhelp: x.yaml"
    result = invoke(["evaluate", str(_write(tmp_path, name, "facts: [\n"))])
    assert result.exit_code == 3
    [first, help_line] = result.stderr.splitlines()
    assert first.startswith(f"{tmp_path}/s\\x1b[2J\\nhelp: x.yaml:2:1: error: malformed")
    assert help_line.startswith("help: check indentation")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("agency", "agency"),
        ("agency\u200b", "agency\\u200b"),  # zero-width space
        ("\u0430gency", "\\u0430gency"),  # Cyrillic a
        ("agency\u200e", "agency\\u200e"),  # left-to-right mark
        ("agen\u00a0cy", "agen\\xa0cy"),  # no-break space
    ],
)
def test_look_alike_names_read_differently(tmp_path: Path, name: str, shown: str) -> None:
    path = _write(tmp_path, "s.yaml", "policy: dhs-2023\naccounts:\n  officer: {facts: {}}\n")
    result = invoke(["evaluate", str(path), "--account", name])
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == f"{path}: error: the scenario has no account '{shown}'"


@pytest.mark.parametrize(
    "text", ["café", "правило", "日本語のテキスト", "Ω-rule 2", "quote: “verbatim” — ok"]
)
def test_ordinary_text_in_any_script_is_shown_as_written(text: str) -> None:
    assert visible(text) == text


def test_visible_escapes_every_control_and_format_character() -> None:
    hidden = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
    hidden += ["\u061c", "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff"]
    hidden += ["\u2028", "\u2029", "\ud800", "\U000e0041"]
    for char in hidden:
        shown = visible(f"a{char}b")
        assert shown.isascii() and shown.isprintable() and shown != "ab", repr(char)
