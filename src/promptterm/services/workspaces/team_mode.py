"""What a person reads when they try a team feature on a database that has no team."""

from __future__ import annotations


def members_need_team_mode(who: str) -> str:
    """Why ``who`` cannot be added on SQLite, and how to set up a shared database."""
    return (
        f"No user is known as {who!r}: this database is a local SQLite file with one user, "
        "you. Workspace members need team mode, a shared PostgreSQL database where each "
        "person logs in as their own role. To set it up: create a database; as its owner run "
        "`promptterm --database-url postgresql+psycopg://YOU@HOST/DB db upgrade`; give each "
        "teammate a login role and `GRANT promptterm_user TO THEIR_ROLE;`; have them run "
        "promptterm once with that URL (or `url` under [database] in config.toml); then add "
        "them by email or role name."
    )
