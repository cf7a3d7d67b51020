"""The plan area's "Prompts" section: the library's prompts filed under this project, each
shown rendered with the project's context ({{project.name}}, {{tasks.open}}...), and sent
to a new chat thread in one key, as the library's "send to chat" does: a thread of the
project with the text as its draft, the chat area opened on it, the text on the clipboard.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.errors import ServiceError
from promptterm.services.validation import strip_controls
from promptterm.ui.common.jump import JumpTarget

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library import PromptInfo
    from promptterm.ui.common.host import AppHost

EMPTY = (
    "No prompts are filed under this project. In the library (4), open a prompt's details "
    "and set its project; it shows here, rendered with this project's tasks."
)


class PromptsSection(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "send",
            "Send to chat",
            id="plan-prompt-send",
            tooltip="Start a thread with this prompt, filled with the project's context",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield OptionList(id="plan-prompt-list")
        yield Static(id="plan-prompt-preview", markup=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompts: list[PromptInfo] = []
        self.rendered: dict[uuid.UUID, str] = {}

    @property
    def host(self) -> AppHost:
        return cast("AppHost", self.app)

    @property
    def services(self) -> Services:
        return self.host.services

    def focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        project = self.host.current_project
        if project is not None:
            self._load(project.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-prompts-load")
    def _load(self, project_id: uuid.UUID) -> None:
        from promptterm.services.plan import render_product_prompt

        prompts = self.services.prompts.list(project_id=project_id)
        rendered: dict[uuid.UUID, str] = {}
        for prompt in prompts:
            try:
                rendered[prompt.id] = render_product_prompt(
                    self.services.ctx, prompt.id, project_id
                )
            except ServiceError as exc:
                rendered[prompt.id] = f"⚠ {exc.message}"
        self.app.call_from_thread(self._loaded, prompts, rendered)

    def _loaded(self, prompts: list[PromptInfo], rendered: dict[uuid.UUID, str]) -> None:
        self.prompts, self.rendered = prompts, rendered
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(strip_controls(p.name), id=str(p.id)) for p in prompts])
        if prompts:
            listing.highlighted = 0
        else:
            self.query_one("#plan-prompt-preview", Static).update(EMPTY)
        self.refresh_bindings()  # Send needs a prompt: the list lands after the focus did

    @property
    def current(self) -> PromptInfo | None:
        index = self.query_one(OptionList).highlighted
        return self.prompts[index] if index is not None and index < len(self.prompts) else None

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        prompt = self.current
        text = self.rendered.get(prompt.id, "") if prompt else ""
        self.query_one("#plan-prompt-preview", Static).update(_shown(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return self.is_mounted and self.current is not None  # none listed (yet): c did nothing
        return True

    def action_send(self) -> None:
        prompt, project = self.current, self.host.current_project
        if prompt is None or project is None:
            return
        text = self.rendered.get(prompt.id, "")
        if not text or text.startswith("⚠"):
            self.notify(text.lstrip("⚠ ") or "Not rendered yet.", severity="warning")
            return
        self._start_thread(prompt.name, text, project.id)

    @work(thread=True, exit_on_error=False, group="plan-prompts-send")
    def _start_thread(self, title: str, text: str, project_id: uuid.UUID) -> None:
        chat = self.services.chat
        try:
            thread = chat.create_thread(project_id=project_id, title=title)
        except ServiceError:
            thread = chat.create_thread(title=title)  # a viewer: a thread of their own
        self.services.chat_drafts.save(thread.id, text)
        self.app.call_from_thread(self._thread_started, thread.id, thread.title, text)

    async def _thread_started(self, thread_id: uuid.UUID, title: str, text: str) -> None:
        self.app.copy_to_clipboard(text)
        await self.host.jump(JumpTarget("thread", thread_id, title, "", area="chat"))
        put_draft = getattr(self.app.screen, "put_draft", None)
        if put_draft is not None:
            put_draft(thread_id, text)
        self.app.notify(f"Started the thread {title!r} with the prompt as its draft.", markup=False)


def _shown(text: str) -> str:
    """Rendered text as lines with no control characters (a prompt's text is the user's,
    but a task title in it may come from a script)."""
    return "\n".join(strip_controls(line) for line in text.split("\n"))
