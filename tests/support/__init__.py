"""Helpers for the test suite: a throwaway PostgreSQL server and a fixed clock."""
