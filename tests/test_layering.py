"""House rules: the core never imports the CLI or table libraries."""

import subprocess
import sys

CORE = [
    "forcecheck.logic",
    "forcecheck.errors",
    "forcecheck.source",
    "forcecheck.validation",
    "forcecheck.vocabulary",
    "forcecheck.policy",
    "forcecheck.scenario",
    "forcecheck.library",
    "forcecheck.engine",
    "forcecheck.evaluation",
    "forcecheck.expect",
    "forcecheck.render.json_report",
    "forcecheck.citation",
    "forcecheck.properties",
    "forcecheck.bdd",
    "forcecheck.encoding",
    "forcecheck.verify",
]


def test_core_imports_neither_typer_nor_tabulate() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'tabulate', 'click',"
        " 'rich'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_core_never_prints_or_exits() -> None:
    from pathlib import Path

    import forcecheck

    root = Path(forcecheck.__file__).parent
    for module in CORE:
        source = (root / (module.removeprefix("forcecheck.").replace(".", "/") + ".py")).read_text()
        assert "print(" not in source and "sys.exit" not in source, module
