"""Generate docs/cli.md from the CLI itself: ``python -m forcecheck.cli.docs > docs/cli.md``.

A test regenerates it and fails when the committed file is stale, so the reference can
never drift from the commands.
"""

from __future__ import annotations

from typing import Any

import typer

from forcecheck.cli import app


def _option_rows(command: Any, ctx: Any) -> list[str]:
    """One table row per argument and option, from click's own help records."""
    rows = []
    for param in command.get_params(ctx):
        if param.name == "help":
            continue
        # Duck-typed: typer may bring its own copy of click, so no click classes are named.
        if param.param_type_name == "argument":
            names = f"`{param.name.upper()}`"
            meaning = (param.help or "") + (" Required." if param.required else "")
        else:
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names = f"`{record[0]}`".replace("|", "\\|")
            meaning = record[1]
        rows.append(f"| {names} | {meaning.strip().replace('|', '/')} |")
    return rows


def render_cli_docs() -> str:
    """The Markdown reference of every command and option."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="forcecheck")
    lines = [
        "# Command-line reference",
        "",
        "Generated from the CLI by `python -m forcecheck.cli.docs > docs/cli.md`; "
        "`tests/test_docs.py` fails when this file is stale. Exit codes and error messages "
        "are described in [errors.md](errors.md).",
        "",
        "## forcecheck",
        "",
        (root.help or "").strip(),
        "",
        "```",
        "forcecheck [OPTIONS] COMMAND [ARGS]...",
        "```",
        "",
        "| option | meaning |",
        "|---|---|",
        *_option_rows(root, ctx),
        "",
    ]
    for name in sorted(root.list_commands(ctx)):  # type: ignore[attr-defined]
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        assert command is not None
        sub = typer.Context(command, info_name=name, parent=ctx)
        usage = " ".join(command.collect_usage_pieces(sub))
        lines += [
            f"## forcecheck {name}",
            "",
            (command.help or "").strip(),
            "",
            "```",
            f"forcecheck {name} {usage}",
            "```",
            "",
            "| argument or option | meaning |",
            "|---|---|",
            *_option_rows(command, sub),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_cli_docs(), end="")
