"""Outputs of another size: extraction, counting, composition: placeholder."""
