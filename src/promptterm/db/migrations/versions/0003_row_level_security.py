"""Row-level security on PostgreSQL: the database itself refuses what the services refuse.

In team mode each person logs in with their own PostgreSQL role, and ``users.db_role`` maps
the role to a promptterm user. These policies are the second wall behind the services'
checks: even raw SQL from a teammate's role only reaches their own rows and the workspaces
they are a member of. The tables' owner (whoever runs the migrations) is not subject to
them. SQLite has one local user and no roles: nothing to do there.

People get access by being granted the ``promptterm_user`` group role:
``GRANT promptterm_user TO alice;``

Revision ID: 0003_row_level_security
Revises: 0002_seed_plans
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_row_level_security"
down_revision: str | None = "0002_seed_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
EDITORS = "('owner', 'admin', 'member')"
MANAGERS = "('owner', 'admin')"

# Tables whose rows belong to one user.
PERSONAL = (
    "components",
    "presets",
    "prompt_folders",
    "prompts",
    "api_keys",
    "conversations",
    "editor_sessions",
    "usage_records",
    "invoices",
)
ALL_TABLES = (
    "users",
    "workspaces",
    "workspace_members",
    "projects",
    "files",
    "file_versions",
    "subscriptions",
    "messages",
    "prompt_modules",
    "module_options",
    "prompt_variables",
    *PERSONAL,
)

FUNCTIONS = """
CREATE OR REPLACE FUNCTION promptterm_uid() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT id FROM users WHERE db_role = session_user $$;

-- SECURITY DEFINER so that policies on workspace_members can ask about membership without
-- recursing into their own policy.
CREATE OR REPLACE FUNCTION promptterm_role(ws uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT m.role FROM workspace_members m JOIN users u ON u.id = m.user_id
   WHERE m.workspace_id = ws AND u.db_role = session_user $$;

CREATE OR REPLACE FUNCTION promptterm_project_role(project uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT promptterm_role(p.workspace_id) FROM projects p WHERE p.id = project $$;
"""


def _policies() -> list[str]:
    own = "user_id = promptterm_uid()"
    statements = [
        # Everyone on the team may look people up (to add them to a workspace); each person
        # writes only their own row, or a teammate's placeholder row with no role yet.
        "CREATE POLICY users_read ON users FOR SELECT USING (true)",
        "CREATE POLICY users_insert ON users FOR INSERT"
        " WITH CHECK (db_role = session_user OR db_role IS NULL)",
        "CREATE POLICY users_update ON users FOR UPDATE USING (db_role = session_user)",
        # Plans are read to check a workspace owner's limits; only one's own is written.
        "CREATE POLICY subscriptions_read ON subscriptions FOR SELECT USING (true)",
        f"CREATE POLICY subscriptions_write ON subscriptions FOR INSERT WITH CHECK ({own})",
        f"CREATE POLICY subscriptions_update ON subscriptions FOR UPDATE USING ({own})",
        # Workspaces: members read, admins edit, the owner deletes.
        "CREATE POLICY workspaces_read ON workspaces FOR SELECT"
        " USING (promptterm_role(id) IS NOT NULL OR owner_id = promptterm_uid())",
        "CREATE POLICY workspaces_insert ON workspaces FOR INSERT"
        " WITH CHECK (owner_id = promptterm_uid())",
        f"CREATE POLICY workspaces_update ON workspaces FOR UPDATE"
        f" USING (promptterm_role(id) IN {MANAGERS})",
        "CREATE POLICY workspaces_delete ON workspaces FOR DELETE"
        " USING (promptterm_role(id) = 'owner')",
        "CREATE POLICY members_read ON workspace_members FOR SELECT"
        " USING (promptterm_role(workspace_id) IS NOT NULL)",
        f"CREATE POLICY members_insert ON workspace_members FOR INSERT WITH CHECK ("
        f" promptterm_role(workspace_id) IN {MANAGERS}"
        " OR (user_id = promptterm_uid() AND role = 'owner' AND EXISTS ("
        "   SELECT 1 FROM workspaces w WHERE w.id = workspace_id"
        "   AND w.owner_id = promptterm_uid())))",
        f"CREATE POLICY members_update ON workspace_members FOR UPDATE"
        f" USING (promptterm_role(workspace_id) IN {MANAGERS})",
        f"CREATE POLICY members_delete ON workspace_members FOR DELETE"
        f" USING (promptterm_role(workspace_id) IN {MANAGERS})",
        # Projects and files: members read, editors write, admins delete projects.
        "CREATE POLICY projects_read ON projects FOR SELECT"
        " USING (promptterm_role(workspace_id) IS NOT NULL)",
        f"CREATE POLICY projects_insert ON projects FOR INSERT"
        f" WITH CHECK (promptterm_role(workspace_id) IN {EDITORS})",
        f"CREATE POLICY projects_update ON projects FOR UPDATE"
        f" USING (promptterm_role(workspace_id) IN {EDITORS})",
        f"CREATE POLICY projects_delete ON projects FOR DELETE"
        f" USING (promptterm_role(workspace_id) IN {MANAGERS})",
        "CREATE POLICY files_read ON files FOR SELECT"
        " USING (promptterm_project_role(project_id) IS NOT NULL)",
        f"CREATE POLICY files_write ON files FOR ALL"
        f" USING (promptterm_project_role(project_id) IN {EDITORS})"
        f" WITH CHECK (promptterm_project_role(project_id) IN {EDITORS})",
        "CREATE POLICY versions_read ON file_versions FOR SELECT"
        " USING (file_id IN (SELECT id FROM files))",
        f"CREATE POLICY versions_write ON file_versions FOR INSERT WITH CHECK (EXISTS ("
        f" SELECT 1 FROM files f WHERE f.id = file_id"
        f" AND promptterm_project_role(f.project_id) IN {EDITORS}))",
        # Rows that hang off a personal row follow their parent's visibility.
        "CREATE POLICY messages_own ON messages FOR ALL"
        " USING (conversation_id IN (SELECT id FROM conversations))"
        " WITH CHECK (conversation_id IN (SELECT id FROM conversations))",
        "CREATE POLICY modules_own ON prompt_modules FOR ALL"
        " USING (prompt_id IN (SELECT id FROM prompts))"
        " WITH CHECK (prompt_id IN (SELECT id FROM prompts))",
        "CREATE POLICY options_own ON module_options FOR ALL"
        " USING (module_id IN (SELECT id FROM prompt_modules))"
        " WITH CHECK (module_id IN (SELECT id FROM prompt_modules))",
        "CREATE POLICY variables_own ON prompt_variables FOR ALL"
        " USING (prompt_id IN (SELECT id FROM prompts))"
        " WITH CHECK (prompt_id IN (SELECT id FROM prompts))",
    ]
    statements += [
        f"CREATE POLICY {table}_own ON {table} FOR ALL USING ({own}) WITH CHECK ({own})"
        for table in PERSONAL
    ]
    return statements


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    for table in ALL_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in _policies():
        op.execute(statement)
    tables = ", ".join(ALL_TABLES)
    # Creating the group role needs CREATEROLE; a migrator without it gets a notice, and a
    # DBA can create the role and run the GRANTs below by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            CREATE ROLE {GROUP_ROLE} NOLOGIN;
          END IF;
          GRANT USAGE ON SCHEMA public TO {GROUP_ROLE};
          GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {GROUP_ROLE};
          GRANT SELECT ON subscription_plans, alembic_version TO {GROUP_ROLE};
          GRANT EXECUTE ON FUNCTION promptterm_uid(), promptterm_role(uuid),
                promptterm_project_role(uuid) TO {GROUP_ROLE};
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not create or grant role {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ALL_TABLES:
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for (name,) in op.get_bind().exec_driver_sql(
            "SELECT policyname FROM pg_policies WHERE tablename = %s", (table,)
        ):
            op.execute(f'DROP POLICY "{name}" ON {table}')
    op.execute("DROP FUNCTION IF EXISTS promptterm_project_role(uuid)")
    op.execute("DROP FUNCTION IF EXISTS promptterm_role(uuid)")
    op.execute("DROP FUNCTION IF EXISTS promptterm_uid()")
