"""Learned local rules (a fitter): placeholder, filled by the local-rules work."""
