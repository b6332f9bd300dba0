"""The ``forcecheck`` command (and ``python -m forcecheck``).

Plain ``evaluate`` command lines run on the start-up fast path, without typer; everything
else goes to the typer application (see :mod:`forcecheck.cli.fast_path`).
"""

from forcecheck.cli.fast_path import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
