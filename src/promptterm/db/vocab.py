"""The fixed vocabularies of the schema, importable without loading SQLAlchemy (the CLI's
argument parser and the UI use them before the database is open)."""

COMPONENT_TYPES = ("role", "style", "context", "mode")
PROMPT_ACTIONS = ("render", "copy", "send")
VARIABLE_TYPES = ("text", "multiline", "number", "boolean", "choice")
WORKSPACE_ROLES = ("owner", "admin", "member", "viewer")
PROJECT_VISIBILITIES = ("public", "private", "team")
# The plan area's board (seed 004 tasks, bugs, features): one ordering per status column.
PLAN_KINDS = ("task", "bug", "feature")
PLAN_STATUSES = ("not_started", "in_progress", "done")
PLAN_PRIORITIES = ("not-prioritized", "low", "medium", "high", "urgent")
PLAN_LINK_KINDS = ("file", "thread", "card")
# What a link between two cards means; a link to a file or a thread only relates.
PLAN_LINK_RELATIONS = ("relates", "blocks", "duplicates")
