"""Same-size tasks that copy: templates stamped at markers, shapes completed behind occluders, midpoints (placeholder)."""
