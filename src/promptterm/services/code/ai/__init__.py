"""AI jobs on code: explain, refactor, generate, analyze (see jobs.py)."""
