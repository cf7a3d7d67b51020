"""Members of a workspace and their roles. Owners and admins manage them; everyone else sees
the list and, when they try, why they cannot."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker

from promptterm.services.errors import NotFound, StaleEdit
from promptterm.services.workspaces.service import ASSIGNABLE_ROLES, MemberInfo, WorkspaceInfo
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import Field, FormScreen
from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.seen import Seen
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services

MANAGERS = ("owner", "admin")


class MembersScreen(ModalScreen[None]):
    CSS_PATH = css_path("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add member", id="members-add"),
        Binding("r", "change_role", "Change role", id="members-role"),
        Binding("x,delete", "remove", "Remove", id="members-remove"),
        Binding("escape,q", "close", "Close", id="members-close"),
    ]

    class Loaded(Message):
        def __init__(self, members: list[MemberInfo], read: int = 0) -> None:
            super().__init__()
            self.members = members
            self.read = read  # its number in MembersScreen.reads (older: not shown)

    class Reload(Message):
        """The list is stale (a write was refused over a teammate's change): read it again."""

    class Changed(Message):
        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    def __init__(self, workspace: WorkspaceInfo, services: Services) -> None:
        super().__init__(classes="dialog")
        self.workspace = workspace
        self.services = services
        self.members: list[MemberInfo] = []
        self.reads = ReadOrder()  # read again after each change: the newest read is shown

    @property
    def can_manage(self) -> bool:
        return self.workspace.role in MANAGERS

    @property
    def refusal(self) -> str:
        return (
            f"Only an owner or admin of {self.workspace.name!r} can add, change or remove "
            f"members; you are a {self.workspace.role}. Ask an owner or admin."
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            if self.can_manage:
                hint = "a add · r change role · x remove · esc close"
            else:
                hint = "esc close"
                yield Static(self.refusal, id="members-refusal", markup=False)
            table: DataTable[str] = DataTable(id="members-table", cursor_type="row")
            table.add_columns("Name", "Role", "Email", "Joined")
            yield table
            yield Static(hint, classes="dialog-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content(f"Members of {self.workspace.name}")
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="members-load")
    def _load(self) -> None:
        read = self.reads.start()
        self.post_message(self.Loaded(self.services.workspaces.members(self.workspace.id), read))

    def on_members_screen_loaded(self, message: Loaded) -> None:
        if not self.reads.is_newest(message.read):
            return  # read before a change whose own read is shown
        self.members = message.members
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for m in message.members:
            table.add_row(
                m.display_name,
                m.role,
                m.email or "—",
                f"{m.joined_at:%Y-%m-%d}",
                key=str(m.user_id),
            )
        if message.members:
            table.move_cursor(row=min(max(row, 0), len(message.members) - 1))

    def on_members_screen_reload(self, _: Reload) -> None:
        self._load()

    def on_members_screen_changed(self, message: Changed) -> None:
        self.notify(message.note)
        self._load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    def _selected(self) -> MemberInfo | None:
        table = self.query_one(DataTable)
        if not self.members or table.cursor_row < 0:
            return None
        return self.members[min(table.cursor_row, len(self.members) - 1)]

    def _refuse(self) -> bool:
        if not self.can_manage:
            self.notify(self.refusal, title="Not allowed", severity="warning")
            return True
        return False

    def action_add(self) -> None:
        if self._refuse():
            return
        ws = self.workspace
        fields = [
            Field("who", "Who", placeholder="email, database role or name"),
            Field("role", "Role", value="member", choices=ASSIGNABLE_ROLES),
        ]

        def submit(values: dict[str, str]) -> MemberInfo:
            return self.services.workspaces.add_member(ws.id, values["who"], values["role"])

        def done(member: MemberInfo | None) -> None:
            if member is not None:
                self.post_message(self.Changed(_now_role(member)))

        self.app.push_screen(
            FormScreen(f"Add a member to {ws.name}", fields, submit, submit_label="Add"), done
        )

    def action_change_role(self) -> None:
        member = self._selected()
        if self._refuse() or member is None:
            return
        ws_id, user_id = self.workspace.id, member.user_id
        fields = [Field("role", "Role", value=member.role, choices=ASSIGNABLE_ROLES)]
        # Refused if a teammate changed their role since this list was loaded.
        seen = Seen(member, lambda: self._current(user_id))
        workspaces = self.services.workspaces

        def submit(values: dict[str, str]) -> MemberInfo:
            return seen.write(
                lambda was: workspaces.set_role(ws_id, user_id, values["role"], expected=was),
                on_stale=lambda: self.post_message(self.Reload()),
            )

        def done(changed: MemberInfo | None) -> None:
            if changed is not None:
                self.post_message(self.Changed(_now_role(changed)))

        title = f"Role of {member.display_name}"
        self.app.push_screen(FormScreen(title, fields, submit, submit_label="Save"), done)

    def action_remove(self) -> None:
        member = self._selected()
        if self._refuse() or member is None:
            return
        message = (
            f"Remove {member.display_name} ({member.role}) from {self.workspace.name!r}? "
            "They lose access to its projects, files and threads."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._remove(member)

        self.app.push_screen(ConfirmScreen("Remove member", message, confirm_label="Remove"), done)

    @work(thread=True, exit_on_error=False, group="members-write")
    def _remove(self, member: MemberInfo) -> None:
        try:
            # Refused if their role changed since: the question named the role it showed.
            name = self.services.workspaces.remove_member(
                self.workspace.id, member.user_id, expected=member
            )
        except StaleEdit:
            self.post_message(self.Reload())
            raise
        self.post_message(self.Changed(f"Removed {name} from {self.workspace.name}."))

    def _current(self, user_id: uuid.UUID) -> MemberInfo:
        """The member as stored now (from a worker), for a form whose view went stale."""
        members = self.services.workspaces.members(self.workspace.id)
        found = next((m for m in members if m.user_id == user_id), None)
        if found is None:
            raise NotFound("That person is no longer a member of this workspace.")
        return found

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def _now_role(member: MemberInfo) -> str:
    article = "an" if member.role[0] in "aeiou" else "a"
    return f"{member.display_name} is now {article} {member.role}."
