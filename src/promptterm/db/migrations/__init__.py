"""Alembic migrations, run from code so an installed wheel upgrades its own database."""
