"""Row-level security that refuses exactly what the services refuse (issue 12).

0003's policies let raw SQL do more than the app: an admin could make themselves owner,
remove the owner and delete the workspace; any member could hard-delete a file with its
history or credit a version to someone else; every teammate read every ``users`` row; and
people could write their own invoices and payments. The policies below follow
services/workspaces/authz.py, workspaces.py, projects.py and files.py rule for rule:

- workspaces: members read; admins and the owner edit, but nobody changes ``owner_id``;
  only the owner deletes the workspace.
- workspace_members: the owner manages admins, members and viewers; an admin manages members
  and viewers only; nobody makes, changes or removes an owner (so the last owner stays);
  an invitation names its inviter truthfully.
- projects: members create and edit, admins delete; a viewer's only write is opening one
  (``last_accessed_at``), as ``ProjectService.open`` does; a project stays in its workspace.
- files: members create, edit and trash them; nobody deletes a row (the app only trashes).
  file_versions is append-only: only the tables' owner updates or deletes versions (cascades
  when a project or workspace is deleted run as the owner), and a new version is credited
  to whoever inserts it.
- users: each person sees themselves and the members of the workspaces they share; an admin
  finds someone to invite with ``promptterm_find_user``, which answers one exact email,
  role or name, never a list.
- invoices and payment_history are written by the system (the tables' owner) only; people
  read their own. usage_records: people add their own (a chat send meters as the sender)
  but never change or delete them. subscriptions: as before people write their own (the
  billing screen changes plan), and read their own and those of their workspaces' owners
  (the plan limits of a workspace are its owner's).

Rules a policy cannot say (comparing the old row with the new) are triggers; they apply
only where row-level security does, so the owner of the tables and foreign-key cascades
are not affected. SQLite has one local user and no roles: nothing to do there.

Revision ID: 0010_rls_matches_services
Revises: 0009_billing_indexes
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_rls_matches_services"
down_revision: str | None = "0009_billing_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
EDITORS = "('owner', 'admin', 'member')"
MANAGERS = "('owner', 'admin')"

FUNCTIONS = """
-- Whether the session's user and ``other`` are members of one workspace. SECURITY DEFINER,
-- like promptterm_role, so that the users policy does not recurse into the members policy.
CREATE OR REPLACE FUNCTION promptterm_shares_workspace(other uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT EXISTS (
     SELECT 1 FROM workspace_members mine
     JOIN workspace_members theirs ON theirs.workspace_id = mine.workspace_id
     WHERE mine.user_id = promptterm_uid() AND theirs.user_id = other) $$;

-- May the session's user change or remove a membership whose role is ``target``?
-- (workspaces._check_can_change: never an owner; an admin only by the owner.)
CREATE OR REPLACE FUNCTION promptterm_may_manage(ws uuid, target text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT CASE promptterm_role(ws)
     WHEN 'owner' THEN target IN ('admin', 'member', 'viewer')
     WHEN 'admin' THEN target IN ('member', 'viewer')
     ELSE false END $$;

-- May the session's user give someone the role ``granted``? (workspaces._check_can_grant:
-- nobody grants owner; only the owner grants admin.)
CREATE OR REPLACE FUNCTION promptterm_may_grant(ws uuid, granted text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT promptterm_may_manage(ws, granted) $$;

-- The one user known by this exact email, else database role, else display name (as
-- services/users.find_user), so an admin can invite someone they share no workspace with.
CREATE OR REPLACE FUNCTION promptterm_find_user(who text)
RETURNS TABLE (id uuid, display_name text, email text, db_role text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  found uuid[];
BEGIN
  SELECT array_agg(u.id) INTO found FROM users u WHERE u.email = who;
  IF cardinality(found) IS DISTINCT FROM 1 THEN
    SELECT array_agg(u.id) INTO found FROM users u WHERE u.db_role = who;
  END IF;
  IF cardinality(found) IS DISTINCT FROM 1 THEN
    SELECT array_agg(u.id) INTO found FROM users u WHERE u.display_name = who;
  END IF;
  IF cardinality(found) = 1 THEN
    RETURN QUERY SELECT u.id, u.display_name::text, u.email::text, u.db_role::text
                 FROM users u WHERE u.id = found[1];
  END IF;
END
$$;

-- Refuses a change to any of the columns named in the trigger's arguments.
CREATE OR REPLACE FUNCTION promptterm_keep_columns() RETURNS trigger
LANGUAGE plpgsql AS
$$
DECLARE
  name text;
BEGIN
  IF row_security_active(TG_RELID) THEN
    FOREACH name IN ARRAY TG_ARGV LOOP
      IF to_jsonb(NEW) -> name IS DISTINCT FROM to_jsonb(OLD) -> name THEN
        RAISE EXCEPTION 'promptterm: %.% cannot be changed', TG_TABLE_NAME, name
          USING ERRCODE = 'insufficient_privilege';
      END IF;
    END LOOP;
  END IF;
  RETURN NEW;
END
$$;

-- A viewer's only write to a project is opening it (ProjectService.open).
CREATE OR REPLACE FUNCTION promptterm_viewer_only_opens() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
  IF row_security_active(TG_RELID)
     AND promptterm_role(OLD.workspace_id) = 'viewer'
     AND to_jsonb(NEW) - 'last_accessed_at' IS DISTINCT FROM to_jsonb(OLD) - 'last_accessed_at'
  THEN
    RAISE EXCEPTION 'promptterm: a viewer can open a project but not change it'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
"""

NEW_FUNCTIONS = (
    "promptterm_shares_workspace(uuid)",
    "promptterm_may_manage(uuid, text)",
    "promptterm_may_grant(uuid, text)",
    "promptterm_find_user(text)",
)

TRIGGERS = (
    ("workspaces", "promptterm_keep_owner", "promptterm_keep_columns('id', 'owner_id')"),
    (
        "workspace_members",
        "promptterm_keep_member",
        "promptterm_keep_columns('id', 'workspace_id', 'user_id', 'invited_by', 'joined_at')",
    ),
    ("projects", "promptterm_keep_workspace", "promptterm_keep_columns('id', 'workspace_id')"),
    ("projects", "promptterm_viewer_only_opens", "promptterm_viewer_only_opens()"),
    ("files", "promptterm_keep_project", "promptterm_keep_columns('id', 'project_id')"),
)

# (table, policy) pairs this migration replaces, and 0003's text for each, for downgrade.
OLD_POLICIES = {
    ("users", "users_read"): "CREATE POLICY users_read ON users FOR SELECT USING (true)",
    ("users", "users_insert"): "CREATE POLICY users_insert ON users FOR INSERT"
    " WITH CHECK (db_role = session_user OR db_role IS NULL)",
    ("subscriptions", "subscriptions_read"): "CREATE POLICY subscriptions_read ON subscriptions"
    " FOR SELECT USING (true)",
    ("workspaces", "workspaces_update"): "CREATE POLICY workspaces_update ON workspaces"
    f" FOR UPDATE USING (promptterm_role(id) IN {MANAGERS})",
    ("workspace_members", "members_insert"): "CREATE POLICY members_insert ON workspace_members"
    f" FOR INSERT WITH CHECK ( promptterm_role(workspace_id) IN {MANAGERS}"
    " OR (user_id = promptterm_uid() AND role = 'owner' AND EXISTS ("
    "   SELECT 1 FROM workspaces w WHERE w.id = workspace_id"
    "   AND w.owner_id = promptterm_uid())))",
    ("workspace_members", "members_update"): "CREATE POLICY members_update ON workspace_members"
    f" FOR UPDATE USING (promptterm_role(workspace_id) IN {MANAGERS})",
    ("workspace_members", "members_delete"): "CREATE POLICY members_delete ON workspace_members"
    f" FOR DELETE USING (promptterm_role(workspace_id) IN {MANAGERS})",
    ("projects", "projects_update"): "CREATE POLICY projects_update ON projects FOR UPDATE"
    f" USING (promptterm_role(workspace_id) IN {EDITORS})",
    ("files", "files_write"): "CREATE POLICY files_write ON files FOR ALL"
    f" USING (promptterm_project_role(project_id) IN {EDITORS})"
    f" WITH CHECK (promptterm_project_role(project_id) IN {EDITORS})",
    ("file_versions", "versions_write"): "CREATE POLICY versions_write ON file_versions"
    " FOR INSERT WITH CHECK (EXISTS ( SELECT 1 FROM files f WHERE f.id = file_id"
    f" AND promptterm_project_role(f.project_id) IN {EDITORS}))",
    **{
        (table, f"{table}_own"): f"CREATE POLICY {table}_own ON {table} FOR ALL"
        " USING (user_id = promptterm_uid()) WITH CHECK (user_id = promptterm_uid())"
        for table in ("usage_records", "invoices", "payment_history")
    },
}

OWN = "user_id = promptterm_uid()"

NEW_POLICIES = (
    # People: oneself and the members of shared workspaces; only one's own row is added.
    "CREATE POLICY users_read ON users FOR SELECT"
    " USING (db_role = session_user OR promptterm_shares_workspace(id))",
    "CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (db_role = session_user)",
    # A workspace's plan limits are its owner's: members read the owner's subscription.
    "CREATE POLICY subscriptions_read ON subscriptions FOR SELECT"
    f" USING ({OWN} OR user_id IN (SELECT owner_id FROM workspaces))",
    f"CREATE POLICY workspaces_update ON workspaces FOR UPDATE"
    f" USING (promptterm_role(id) IN {MANAGERS}) WITH CHECK (promptterm_role(id) IN {MANAGERS})",
    # The creator's own owner row when creating a workspace (WorkspaceService.create), or an
    # invitation by someone allowed to grant that role.
    "CREATE POLICY members_insert ON workspace_members FOR INSERT WITH CHECK ("
    " (promptterm_may_grant(workspace_id, role) AND invited_by = promptterm_uid())"
    " OR (user_id = promptterm_uid() AND role = 'owner' AND EXISTS ("
    "   SELECT 1 FROM workspaces w WHERE w.id = workspace_id"
    "   AND w.owner_id = promptterm_uid())))",
    "CREATE POLICY members_update ON workspace_members FOR UPDATE"
    " USING (promptterm_may_manage(workspace_id, role))"
    " WITH CHECK (promptterm_may_grant(workspace_id, role))",
    "CREATE POLICY members_delete ON workspace_members FOR DELETE"
    " USING (promptterm_may_manage(workspace_id, role))",
    # Viewers may update (open) too; the trigger keeps them to last_accessed_at.
    "CREATE POLICY projects_update ON projects FOR UPDATE"
    " USING (promptterm_role(workspace_id) IS NOT NULL)"
    " WITH CHECK (promptterm_role(workspace_id) IS NOT NULL)",
    f"CREATE POLICY files_insert ON files FOR INSERT"
    f" WITH CHECK (promptterm_project_role(project_id) IN {EDITORS})",
    f"CREATE POLICY files_update ON files FOR UPDATE"
    f" USING (promptterm_project_role(project_id) IN {EDITORS})"
    f" WITH CHECK (promptterm_project_role(project_id) IN {EDITORS})",
    "CREATE POLICY versions_write ON file_versions FOR INSERT WITH CHECK ("
    " changed_by = promptterm_uid() AND EXISTS ("
    " SELECT 1 FROM files f WHERE f.id = file_id"
    f" AND promptterm_project_role(f.project_id) IN {EDITORS}))",
    f"CREATE POLICY usage_records_read ON usage_records FOR SELECT USING ({OWN})",
    f"CREATE POLICY usage_records_insert ON usage_records FOR INSERT WITH CHECK ({OWN})",
    f"CREATE POLICY invoices_read ON invoices FOR SELECT USING ({OWN})",
    f"CREATE POLICY payment_history_read ON payment_history FOR SELECT USING ({OWN})",
)

# Without the grant the database says "permission denied" instead of quietly touching no row.
REVOKED = (
    ("DELETE", "files"),
    ("UPDATE, DELETE", "file_versions"),
    ("UPDATE, DELETE", "usage_records"),
    ("INSERT, UPDATE, DELETE", "invoices"),
    ("INSERT, UPDATE, DELETE", "payment_history"),
)


def _grants(verb: str, pairs: Sequence[tuple[str, str]]) -> None:
    # As in 0003: a migrator without the rights gets a notice; a DBA can run them by hand.
    preposition = "FROM" if verb == "REVOKE" else "TO"
    statements = "\n".join(
        f"{verb} {privileges} ON {table} {preposition} {GROUP_ROLE};" for privileges, table in pairs
    )
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            {statements}
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not change the grants of {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    for table, name in OLD_POLICIES:
        op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
    for statement in NEW_POLICIES:
        op.execute(statement)
    for table, name, call in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {call}"
        )
    functions = ", ".join(NEW_FUNCTIONS)
    _grants("REVOKE", REVOKED)
    _grants("GRANT", (("EXECUTE", f"FUNCTION {functions}"),))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _grants("GRANT", REVOKED)
    for table, name, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for statement in NEW_POLICIES:
        words = statement.split()  # CREATE POLICY <name> ON <table> ...
        op.execute(f"DROP POLICY IF EXISTS {words[2]} ON {words[4]}")
    for statement in OLD_POLICIES.values():
        op.execute(statement)
    for signature in (
        *NEW_FUNCTIONS,
        "promptterm_viewer_only_opens()",
        "promptterm_keep_columns()",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
