"""Creating, renaming and deleting workspaces and projects, members, and the first run.

The base of ExplorerScreen (a Screen subclass, so Textual collects its ``@on`` handlers).
Forms call the services themselves and show a refused input in place; what they return
comes back here as a ``Changed`` message that reloads the tree at the right spot.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import Screen

from promptterm.services.errors import ValidationError
from promptterm.services.words import plural
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.explorer.messages import Changed, DeleteReady
from promptterm.ui.explorer.widgets.nodes import Item, ProjectItem, WorkspaceItem

if TYPE_CHECKING:
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo
    from promptterm.ui.explorer.widgets.tree import ExplorerTree, Node

# The service's choices, in the order a form offers them (the safest first); the service
# still validates, so a new visibility there is refused here with its own message.
VISIBILITIES = ("private", "team", "public")


def _at_least(role: str, minimum: str) -> bool:
    # Imported when first needed: the service layer loads after the first frame.
    from promptterm.services.workspaces.authz import ROLE_RANK

    return ROLE_RANK[role] >= ROLE_RANK[minimum]


def _form(*args: Any, **kwargs: Any) -> Screen[Any]:
    # Dialogs are imported when first opened: they are not needed for the first frame.
    from promptterm.ui.common.dialogs.form import FormScreen as Form

    return Form(*args, **kwargs)


def _confirm(title: str, message: str) -> Screen[Any]:
    from promptterm.ui.common.dialogs.confirm import ConfirmScreen as Confirm

    return Confirm(title, message)


def _workspace_target(ws_id: uuid.UUID) -> JumpTarget:
    return JumpTarget("workspace", ws_id, "", "", workspace_id=ws_id)


def _project_target(p: ProjectInfo) -> JumpTarget:
    return JumpTarget("project", p.id, "", "", workspace_id=p.workspace_id, project_id=p.id)


def _project_fields() -> list[Field]:
    return [
        Field("name", "Name", placeholder="e.g. Landing page"),
        Field("language", "Language", placeholder="optional, e.g. Python"),
        Field("framework", "Framework", placeholder="optional, e.g. FastAPI"),
        Field("visibility", "Visibility", value="private", choices=VISIBILITIES),
        Field("description", "Description", placeholder="optional"),
    ]


def _project_args(values: dict[str, str]) -> dict[str, str | None]:
    return {k: (values[k].strip() or None) for k in ("language", "framework", "description")}


class ExplorerEditing(AreaScreen):
    if TYPE_CHECKING:

        @property
        def tree(self) -> ExplorerTree: ...

        def _workspace_info(self, node: Node | None) -> WorkspaceInfo | None: ...

        def _load_details(self, item: Item) -> object: ...

    def _context_workspace(self) -> WorkspaceInfo | None:
        return self._workspace_info(self.tree.cursor_node)

    # Create --------------------------------------------------------------------------------

    def action_new_workspace(self) -> None:
        fields = [
            Field("name", "Name", placeholder="e.g. Acme"),
            Field("description", "Description", placeholder="optional"),
        ]

        def submit(values: dict[str, str]) -> WorkspaceInfo:
            return self.services.workspaces.create(
                values["name"], description=values["description"].strip() or None
            )

        def done(ws: WorkspaceInfo | None) -> None:
            if ws is not None:
                self.post_message(
                    Changed(f"Created workspace {ws.name!r}.", _workspace_target(ws.id))
                )

        self.app.push_screen(_form("New workspace", fields, submit), done)

    def action_new_project(self) -> None:
        ws = self._context_workspace()
        if ws is None:
            return
        if not _at_least(ws.role, "member"):
            self.notify(
                f"Only a member, admin or owner of {ws.name!r} can create projects in it; "
                f"you are a {ws.role}.",
                title="Not allowed",
                severity="error",
            )
            return

        def submit(values: dict[str, str]) -> ProjectInfo:
            return self.services.projects.create(
                ws.id, values["name"], visibility=values["visibility"], **_project_args(values)
            )

        def done(p: ProjectInfo | None) -> None:
            if p is not None:
                note = f"Created project {p.name!r} in {p.workspace_name!r}."
                self.post_message(Changed(note, _project_target(p), {p.workspace_id}))

        form = _form(f"New project in {ws.name}", _project_fields(), submit)
        self.app.push_screen(form, done)

    # Named handlers (not @on): the welcome view is imported only when it is shown.
    def on_welcome_view_create_first(self) -> None:
        fields = [Field("workspace", "Workspace", placeholder="e.g. Acme"), *_project_fields()]
        fields[1] = Field("name", "Project", placeholder="e.g. Landing page")
        created: list[WorkspaceInfo] = []  # kept across retries: never create it twice

        def submit(values: dict[str, str]) -> ProjectInfo:
            if not created:
                try:
                    created.append(self.services.workspaces.create(values["workspace"]))
                except ValidationError as exc:
                    # The service names its own argument ("name"); here that is "workspace".
                    raise ValidationError(exc.message, "workspace") from exc
            return self.services.projects.create(
                created[0].id,
                values["name"],
                visibility=values["visibility"],
                **_project_args(values),
            )

        def done(p: ProjectInfo | None) -> None:
            if p is not None:
                note = f"Created {p.workspace_name!r} with the project {p.name!r}."
                self.post_message(Changed(note, _project_target(p), {p.workspace_id}))
            elif created:  # cancelled after the workspace was made: show it anyway
                self.post_message(Changed("", _workspace_target(created[0].id)))

        intro = "A workspace holds projects; a project holds files and chat threads."
        form = _form("Your first workspace and project", fields, submit, intro=intro)
        self.app.push_screen(form, done)

    def on_welcome_view_load_demo(self) -> None:
        self.load_demo()

    def load_demo(self) -> None:
        """The demo workspace (the welcome's d, the palette's "Load the demo"); loading it
        again completes what is missing and duplicates nothing."""
        self.notify("Loading the demo workspace…")
        self._load_demo()

    @work(thread=True, exit_on_error=False, group="explorer-write")
    def _load_demo(self) -> None:
        from promptterm.services.demo import load_demo

        ws = load_demo(self.services)
        note = f"Loaded the demo workspace {ws.name!r}: look around, then delete it with d."
        self.post_message(Changed(note, _workspace_target(ws.id), {ws.id}))

    # Rename --------------------------------------------------------------------------------

    def action_rename(self) -> None:
        item = self.tree.item
        from promptterm.ui.common.seen import Seen

        # Refused if someone renamed it since the tree showed it (the form keeps the text).
        if isinstance(item, WorkspaceItem):
            workspaces, ws = self.services.workspaces, item.info
            seen_ws = Seen(ws, lambda: workspaces.get(ws.id))

            def rename_ws(values: dict[str, str]) -> JumpTarget:
                renamed = seen_ws.write(
                    lambda was: workspaces.rename(ws.id, values["name"], expected=was)
                )
                return _workspace_target(renamed.id)

            self._rename_form("workspace", ws.name, rename_ws)
        elif isinstance(item, ProjectItem):
            projects, project = self.services.projects, item.info
            seen_project = Seen(project, lambda: projects.get(project.id))

            def rename_project(values: dict[str, str]) -> JumpTarget:
                renamed = seen_project.write(
                    lambda was: projects.rename(project.id, values["name"], expected=was)
                )
                return _project_target(renamed)

            self._rename_form("project", project.name, rename_project)

    def _rename_form(
        self, kind: str, old: str, submit: Callable[[dict[str, str]], JumpTarget]
    ) -> None:
        def done(target: JumpTarget | None) -> None:
            if target is not None:
                self.post_message(Changed(f"Renamed the {kind} {old!r}.", target))

        fields = [Field("name", "New name", value=old)]
        form = _form(f"Rename {kind} {old}", fields, submit, submit_label="Rename")
        self.app.push_screen(form, done)

    # Delete --------------------------------------------------------------------------------

    def action_delete(self) -> None:
        item = self.tree.item
        if isinstance(item, WorkspaceItem) and item.info.role != "owner":
            ws = item.info
            self._refuse(f"Only the owner of {ws.name!r} can delete it; you are a {ws.role}.")
        elif isinstance(item, ProjectItem) and not _at_least(item.info.role, "admin"):
            p = item.info
            self._refuse(
                f"Only an admin or owner of {p.workspace_name!r} can delete its projects; "
                f"you are a {p.role}."
            )
        elif isinstance(item, WorkspaceItem | ProjectItem):
            self._prepare_delete(item)

    def _refuse(self, message: str) -> None:
        self.notify(message + " Ask the workspace owner.", title="Not allowed", severity="error")

    @work(thread=True, exit_on_error=False, group="explorer-write")
    def _prepare_delete(self, item: Item) -> None:
        """Count what goes with it, so the question names everything that will be lost."""
        if isinstance(item, WorkspaceItem):
            ws = self.services.workspaces.get(item.info.id)
            if ws.project_count:
                question = (
                    f"Delete workspace {ws.name!r} and its {plural(ws.project_count, 'project')}? "
                    "Their files, versions and threads go too."
                )
            else:
                question = f"Delete the empty workspace {ws.name!r}?"
            title = "Delete workspace"
        elif isinstance(item, ProjectItem):
            p = item.info
            files = len(self.services.files.list_files(p.id))
            threads = len(self.services.chat.list_threads(project_id=p.id))
            question = (
                f"Delete project {p.name!r} in {p.workspace_name!r} with its "
                f"{plural(files, 'file')} and {plural(threads, 'thread')}?"
            )
            title = "Delete project"
        else:
            return
        self.post_message(DeleteReady(item, title, question + " This cannot be undone."))

    @on(DeleteReady)
    def _confirm_delete(self, message: DeleteReady) -> None:
        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(message.item)

        self.app.push_screen(_confirm(message.title, message.question), done)

    @work(thread=True, exit_on_error=False, group="explorer-write")
    def _delete(self, item: Item) -> None:
        if isinstance(item, WorkspaceItem):
            name = self.services.workspaces.delete(item.info.id)
            self.post_message(Changed(f"Deleted workspace {name!r}.", gone=item.info.id))
        elif isinstance(item, ProjectItem):
            p = item.info
            name = self.services.projects.delete(p.id)
            self.post_message(
                Changed(f"Deleted project {name!r}.", _workspace_target(p.workspace_id), gone=p.id)
            )

    # Members -------------------------------------------------------------------------------

    def action_members(self) -> None:
        ws = self._context_workspace()
        if ws is None:
            return
        from promptterm.ui.explorer.dialogs.members import MembersScreen

        def refresh_details(_: None) -> None:
            # Members may have changed: the details pane lists them.
            if self.tree.item is not None:
                self._load_details(self.tree.item)

        self.app.push_screen(MembersScreen(ws, self.services), refresh_details)
