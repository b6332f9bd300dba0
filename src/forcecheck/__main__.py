"""``python -m forcecheck``: the same as the ``forcecheck`` command."""

from .cli import main

main()
