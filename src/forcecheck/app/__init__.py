"""The application layer: one use-case per command, each returning a report object.

Every use-case resolves policies the same way (:mod:`forcecheck.app.resolution`), runs
each analysis once, and returns plain data for a renderer to format; none prints, formats
or exits. Modules are imported per command, so that ``evaluate`` loads only what it needs.
"""
