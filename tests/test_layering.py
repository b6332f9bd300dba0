"""House rules: the core never imports the CLI or table libraries."""

import subprocess
import sys

CORE = [
    "forcecheck.model.logic",
    "forcecheck.errors",
    "forcecheck.load.reader",
    "forcecheck.load.validation",
    "forcecheck.model.vocabulary",
    "forcecheck.model.policy",
    "forcecheck.model.scenario",
    "forcecheck.load.library",
    "forcecheck.engine.explain",
    "forcecheck.engine.evaluation",
    "forcecheck.checks.expect",
    "forcecheck.render.json_report",
    "forcecheck.model.citation",
    "forcecheck.model.properties",
    "forcecheck.symbolic.bdd",
    "forcecheck.symbolic.encoding",
    "forcecheck.checks.verify",
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


def test_no_two_source_files_share_a_name() -> None:
    from collections import Counter
    from pathlib import Path

    import forcecheck

    root = Path(forcecheck.__file__).parent
    names = Counter(p.name for p in root.rglob("*.py") if p.name != "__init__.py")
    assert [name for name, count in names.items() if count > 1] == []
