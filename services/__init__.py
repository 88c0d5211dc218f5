"""Use cases: the only code that changes cases, users and settings."""
