"""Turning results into text: JSON, tables. The only place that formats output."""
