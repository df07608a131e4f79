"""Other-size tasks that choose: small outputs picked or built by a rule (placeholder)."""
