"""Helpers for scn's own tests: a small in-memory backend."""
