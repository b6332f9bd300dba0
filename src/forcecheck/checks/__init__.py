"""Checks of files against expectations, lint, verify and coverage."""
