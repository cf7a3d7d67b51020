"""The plan area's "Flows" section: the project's user flow as a picture (flow_view.py),
a line about the highlighted page under it, and the keys that add, edit, connect and
delete pages. Reads and writes run in workers; every write reads the flow again after, so
what is shown is what is stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from promptterm.db.vocab import PLAN_STATUSES
from promptterm.services.errors import ServiceError
from promptterm.services.plan.flow_layout import STATUS_MARKS
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.plan.flow_forms import connect_fields, page_changes, page_fields
from promptterm.ui.plan.flow_view import STATUS_STYLES, FlowView

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.plan import Flow, FlowPageInfo
    from promptterm.ui.common.host import AppHost

_WRITES = {"add_page", "edit_page", "connect", "unlink", "delete_page"}
_NEEDS_PAGE = {"edit_page", "connect", "unlink", "delete_page"}


def _binding(key: str, action: str, words: str, name: str, tip: str, show: bool = True) -> Binding:
    return Binding(key, action, words, show=show, id=f"plan-flow-{name}", tooltip=tip)


class FlowSection(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("a", "add_page", "Add page", "add", "Add a page to the flow, beside this one"),
        _binding("e,enter", "edit_page", "Open", "edit", "See and change the page's details"),
        _binding("c", "connect", "Connect", "connect", "Add an arrow from this page to another"),
        _binding("u", "unlink", "Unlink", "unlink", "Remove an arrow from this page", False),
        _binding("d,delete", "delete_page", "Delete", "delete", "Delete the page and its arrows"),
        _binding("r,f5", "reload", "Refresh", "refresh", "Read the flow again", False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reads = ReadOrder()  # the flow is read again after each write (see _loaded)

    def compose(self) -> ComposeResult:
        yield FlowView(id="plan-flow-view")
        yield Static(id="plan-flow-detail", markup=False)

    @property
    def view(self) -> FlowView:
        return self.query_one(FlowView)

    @property
    def services(self) -> Services:
        return cast("AppHost", self.app).services

    @property
    def project_id(self) -> uuid.UUID | None:
        project = cast("AppHost", self.app).current_project
        return None if project is None else project.id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        flow = self.view.flow
        if action in _WRITES and (flow is None or not flow.can_edit):
            return False  # a viewer reads; the footer does not offer what would be refused
        return not (action in _NEEDS_PAGE and self.view.current is None)

    # Reading ---------------------------------------------------------------------------------

    _focus_next: uuid.UUID | None = None

    def reload(self, focus: uuid.UUID | None = None) -> None:
        # A later read (the screen resuming as a form closes) replaces an earlier one still
        # under way; the page the earlier one was to highlight is kept for it.
        self._focus_next = focus or self._focus_next
        if self.project_id is not None:
            self._load(self.project_id, self._focus_next)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-flow-load")
    def _load(self, project_id: uuid.UUID, focus: uuid.UUID | None) -> None:
        read = self.reads.start()
        try:
            flow = self.services.flows.flow(project_id)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error", timeout=8)
            return
        self.app.call_from_thread(self._loaded, flow, focus, read)

    def _loaded(self, flow: Flow, focus: uuid.UUID | None, read: int = 0) -> None:
        if flow.project_id != self.project_id:
            return  # the user went to another project meanwhile
        if not self.reads.is_newest(read):
            # Read before a write whose own read is shown (a cancelled thread still runs).
            return
        self._focus_next = None
        self.view.show(flow, focus)
        self.refresh_bindings()

    @on(FlowView.Highlighted)
    def _highlighted(self, message: FlowView.Highlighted) -> None:
        self.query_one("#plan-flow-detail", Static).update(self._detail(message.page))
        self.refresh_bindings()

    def _detail(self, page: FlowPageInfo | None) -> Content:
        flow = self.view.flow
        if page is None or flow is None:
            return Content("")
        names = {p.id: p.name for p in flow.pages}
        to = [names[c.target_id] for c in flow.connections if c.source_id == page.id]
        status = page.implementation_status
        parts: list[str | tuple[str, str]] = [
            (page.name, "bold"),
            "  ",
            (STATUS_MARKS.get(status, status), STATUS_STYLES.get(status, "")),
        ]
        if page.features:
            parts += ["  ", "features: " + ", ".join(page.features)]
        parts += ["  ", "→ " + (", ".join(to) if to else "(leads nowhere yet: c connects)")]
        if page.description:
            parts += ["\n", (page.description.splitlines()[0], "$text-muted")]
        return Content.assemble(*parts)

    # Writing ---------------------------------------------------------------------------------

    def action_add_page(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        project_id, here = self.project_id, self.view.current
        if project_id is None:
            return
        x, y = (here.x + 1, here.y) if here is not None else (0, 0)
        services = self.services

        def save(values: dict[str, str]) -> FlowPageInfo:
            return services.flows.add_page(project_id, **_page_kwargs(values))

        title = "Add a page" + (f" beside {here.name!r}" if here else "")
        self._form(FormScreen(title, page_fields(None, x, y), save, submit_label="Add"))

    def action_edit_page(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        page = self.view.current
        if page is None:
            return
        services = self.services

        def save(values: dict[str, str]) -> FlowPageInfo:
            changes, place = page_changes(page, values)
            saved = page
            if changes:
                expected = {name: getattr(page, name) for name in changes}
                saved = services.flows.update_page(page.id, changes, expected=expected)
            if place is not None:
                saved = services.flows.move_page(page.id, *place)
            return saved

        self._form(
            FormScreen(f"Page {page.short_id}", page_fields(page), save, submit_label="Save")
        )

    def action_connect(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        page, flow = self.view.current, self.view.flow
        if page is None or flow is None:
            return
        fields, targets = connect_fields(flow, page, leading=False)
        if not targets:
            self.notify("Every other page is already a target (or there is none): add one with a.")
            return
        services = self.services

        def save(values: dict[str, str]) -> FlowPageInfo:
            services.flows.connect(page.id, targets[values["target"]])
            return page

        self._form(FormScreen(f"Arrow from {page.name!r}", fields, save, submit_label="Connect"))

    def action_unlink(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        page, flow = self.view.current, self.view.flow
        if page is None or flow is None:
            return
        fields, targets = connect_fields(flow, page, leading=True)
        if not targets:
            self.notify(f"{page.name!r} leads nowhere: it has no arrow to remove.")
            return
        services = self.services

        def save(values: dict[str, str]) -> FlowPageInfo:
            services.flows.disconnect(page.id, targets[values["target"]])
            return page

        title = f"Remove an arrow from {page.name!r}"
        self._form(FormScreen(title, fields, save, submit_label="Remove"))

    def action_delete_page(self) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        page = self.view.current
        if page is None:
            return
        near = None
        if self.view.picture is not None:
            near = next(
                (p for d in ("left", "up", "right", "down")
                 if (p := self.view.picture.nearest(page.id, d)) is not None),
                None,
            )  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda s: (s.flows.delete_page(page.id), near)[1])

        question = f"Delete the page {page.name!r} and its arrows? It cannot be undone."
        self.app.push_screen(ConfirmScreen("Delete page", question), answered)

    def _form(self, form: Any) -> None:
        def done(result: FlowPageInfo | None) -> None:
            if result is not None:
                self.reload(result.id)

        self.app.push_screen(form, done)

    @work(thread=True, exit_on_error=False, group="plan-flow-write")
    def _write(self, act: Callable[[Services], uuid.UUID | None]) -> None:
        try:
            focus = act(self.services)
        except ServiceError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error", timeout=8)
            focus = None
        self.app.call_from_thread(self.reload, focus)


def _page_kwargs(values: dict[str, str]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "implementation_status": values.get("implementation_status") or PLAN_STATUSES[0],
        "description": values.get("description") or None,
        "layout_description": values.get("layout_description") or None,
        "features": values.get("features") or None,
        "x": values.get("x") or 0,
        "y": values.get("y") or 0,
    }
