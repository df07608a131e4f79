"""Same-size object and arrangement transforms: placeholder."""
