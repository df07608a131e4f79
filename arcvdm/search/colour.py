"""Placeholder: filled in by the search work (issue 9)."""
