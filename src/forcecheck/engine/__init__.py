"""Evaluating rules: the explaining evaluator, compiled programs, batch."""
