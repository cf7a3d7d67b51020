"""Plan: Notes. The project's notes and the user's personal ones in a list, one open in a
Markdown text area; every save (ctrl+s) is a version. ``/`` searches every note the user may
read. A save over a teammate's newer version is refused and the typed text stays in place."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from promptterm.services.errors import ServiceError, StaleEdit
from promptterm.services.plan import Note
from promptterm.services.validation import strip_controls
from promptterm.ui.plan.pane import PlanPane

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo


class NotesPane(PlanPane):
    HELP_TITLE = "Plan: Notes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "new_note", "New note", id="plan-note-new", tooltip="Write a new note"),
        Binding(
            "ctrl+s",
            "save_note",
            "Save",
            id="plan-note-save",
            tooltip="Save the note as a new version",
        ),
        Binding(
            "slash",
            "search_notes",
            "Search",
            id="plan-note-search",
            tooltip="Find notes by their text, in every project you are in",
        ),
        Binding(
            "escape",
            "to_list",
            "Back",
            id="plan-note-back",
            tooltip="Leave the note (or search) and go back to the list",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="plan-notes")
        self.notes: list[Note] = []
        self.open_note: Note | None = None
        self.open_on_load: uuid.UUID | None = None  # a note found by the chat's search

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="notes-side"):
                yield Input(id="notes-search", placeholder="search every note", compact=True)
                yield OptionList(id="notes-list")
            with Vertical(id="notes-main"):
                yield Input(id="note-title", placeholder="title", compact=True)
                area = TextArea(id="note-body", soft_wrap=True)
                area.cursor_blink = getattr(self.app, "cursor_blink", True)
                yield area
                yield Static("", id="note-info", markup=False)

    def on_mount(self) -> None:
        self.query_one("#notes-search", Input).display = False
        self._show_open()

    def focus_first(self) -> None:
        self.query_one("#notes-list", OptionList).focus()

    # Reading -------------------------------------------------------------------------------

    def reload(self, select: object = None) -> None:
        project = self.project
        if project is None:
            return

        def read(s: Services) -> list[Note]:
            return s.notes.list(project.id) + s.notes.list()

        self.read_service(read, lambda notes: self._listed(notes, select))

    def _listed(self, notes: list[Note], select: object = None) -> None:
        self.notes = notes
        listing = self.query_one("#notes-list", OptionList)
        listing.clear_options()
        for note in notes:
            mark = "" if note.project_id else "  (personal)"
            listing.add_option(Option(Content(strip_controls(note.title) + mark), id=note.id.hex))
        if not notes:
            listing.add_option(Option("No notes yet: press a to write one.", disabled=True))
        target = select or (self.open_note.id if self.open_note else None)
        index = next((n for n, note in enumerate(notes) if note.id == target), 0)
        if notes:
            listing.highlighted = index
        if select is not None and select == self.open_on_load:
            self.open_on_load = None
            found = next((note for note in notes if note.id == select), None)
            if found is None:
                self.app.notify("That note is not among this project's notes or yours any more.")
                return
            self.open_note = found
            self._show_open()
            self.query_one("#note-body", TextArea).focus()

    def open_by_id(self, project: ProjectInfo, note_id: uuid.UUID) -> None:
        """Show ``project``'s notes and open one of them (or a personal one) once read."""
        self.project = project
        self.open_on_load = note_id
        self.reload(note_id)

    @on(OptionList.OptionSelected, "#notes-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        note = next((n for n in self.notes if n.id.hex == event.option.id), None)
        if note is None:
            return
        self.open_note = note
        self._show_open()
        self.query_one("#note-body", TextArea).focus()

    def _show_open(self) -> None:
        note = self.open_note
        title = self.query_one("#note-title", Input)
        body = self.query_one("#note-body", TextArea)
        title.value = note.title if note else ""
        body.load_text(note.content if note else "")
        body.read_only = note is None or not note.can_edit
        title.disabled = body.read_only
        self._info()
        self.refresh_bindings()  # Save follows the note shown (opened from a read, too)

    def _info(self, extra: str = "") -> None:
        note = self.open_note
        if note is None:
            words = "Choose a note (enter) or write one (a)."
        else:
            whose = "personal" if note.project_id is None else "the project's"
            words = f"version {note.version} · {whose} · ctrl+s saves a new version"
            if not note.can_edit:
                words = f"version {note.version} · read only: you are a viewer"
        self.query_one("#note-info", Static).update(words + (f" · {extra}" if extra else ""))

    # Writing -------------------------------------------------------------------------------

    def action_new_note(self) -> None:
        from promptterm.ui.common.dialogs.fields import Field
        from promptterm.ui.common.dialogs.form import FormScreen

        project = self.project
        if project is None:
            return
        services = self.services

        def create(values: dict[str, str]) -> Note:
            target = None if values.get("where") == "personal" else project.id
            return services.notes.add(values["title"], "", target)

        def created(note: Note | None) -> None:
            if note is not None:
                self.open_note = note
                self._show_open()
                self.reload(note.id)
                # After the form has gone and the screen has given focus back to the list.
                self.call_after_refresh(self.query_one("#note-body", TextArea).focus)

        fields = [
            Field("title", "Title", placeholder="up to 200 characters"),
            Field("where", "Whose", "project", choices=("project", "personal")),
        ]
        self.app.push_screen(FormScreen("New note", fields, create), created)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_note":  # with no note open, or a viewer's, ctrl+s did nothing
            return self.open_note is not None and self.open_note.can_edit
        return True

    def action_save_note(self) -> None:
        note = self.open_note
        if note is None or not note.can_edit:
            return
        title = self.query_one("#note-title", Input).value
        body = self.query_one("#note-body", TextArea).text
        self._save(note, title, body)

    def _save(self, note: Note, title: str, body: str) -> None:
        def write(s: Services) -> tuple[Note | None, str]:
            try:
                return s.notes.save(note.id, title, body, seen_version=note.version), ""
            except StaleEdit as exc:
                # What is stored now becomes what was seen: saving again is a deliberate
                # choice that goes through (ui/common/seen.py's rule).
                return s.notes.get(note.id), exc.message
            except ServiceError as exc:
                return None, exc.message

        def saved(answer: tuple[Note | None, str]) -> None:
            result, refusal = answer
            if refusal:
                # The typed title and text stay in the editor: nothing is lost.
                self.app.notify(refusal, severity="error", timeout=10)
                if result is not None:
                    self.open_note = Note(**{**vars(result), "can_edit": note.can_edit})
                self._info("not saved")
                return
            if result is not None:
                self.open_note = result
                self._info("saved")
                self.reload(result.id)

        self.run_service(write, saved)

    def action_search_notes(self) -> None:
        box = self.query_one("#notes-search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#notes-search")
    def _search(self, event: Input.Submitted) -> None:
        text = event.value
        if not text.strip():
            self.reload()
            return
        self.read_service(lambda s: s.notes.search(text), self._found)

    def _found(self, notes: list[Note]) -> None:
        self._listed(notes)
        listing = self.query_one("#notes-list", OptionList)
        if not notes:
            listing.clear_options()
            listing.add_option(Option("No note holds that text.", disabled=True))
        listing.focus()

    @on(Input.Submitted, "#note-title")
    def _title_done(self) -> None:
        self.query_one("#note-body", TextArea).focus()

    def action_to_list(self) -> None:
        box = self.query_one("#notes-search", Input)
        if self.screen.focused is box and not box.value:
            box.display = False
        self.query_one("#notes-list", OptionList).focus()
