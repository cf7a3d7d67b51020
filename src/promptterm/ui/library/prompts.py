"""The prompts view of the library: the folder tree, the selected prompt's modules (reorder,
show and hide, pick the default option), its variables form, the rendered preview, copy and
send to a chat thread.

LibraryComponents < LibraryPresets < LibraryPromptEditing < LibraryPrompts < LibraryScreen.
"""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Tree
from textual.worker import get_current_worker

from promptterm.services.errors import ServiceError, StaleEdit, ValidationError
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.library.messages import (
    Changed,
    PromptLoaded,
    PromptRendered,
    PromptsLoaded,
    RenderRefused,
    ThreadStarted,
)
from promptterm.ui.library.prompt_edit import LibraryPromptEditing
from promptterm.ui.library.widgets.prompt_pane import PromptPane
from promptterm.ui.library.widgets.prompts import ModuleList, PromptTree
from promptterm.ui.library.widgets.variables import VariablesForm

if TYPE_CHECKING:
    from promptterm.services.library.prompts import PromptInfo


class LibraryPrompts(LibraryPromptEditing):
    # Each render (or refusal) counts up: a render still running for an earlier value must
    # not overwrite what the form says now (typing 5000 after 500 showed 500's text).
    _render_request = 0

    def __init__(self) -> None:
        super().__init__()
        self._prompt_select: uuid.UUID | None = None
        self.rendered: str | None = None  # the preview's text, when it rendered
        self.module_focus: uuid.UUID | None = None  # a module just added: the cursor goes there
        self._module_lock = threading.Lock()  # module keys write one at a time, in order
        self._module_wrote: PromptInfo | None = None  # what the last of them left

    @property
    def prompt_tree(self) -> PromptTree:
        return self.query_one("#prompt-tree", PromptTree)

    @property
    def pane(self) -> PromptPane:
        return self.query_one(PromptPane)

    @property
    def current_prompt(self) -> PromptInfo | None:
        return self.pane.prompt

    @property
    def module_list(self) -> ModuleList:
        return self.query_one("#prompt-modules", ModuleList)

    # The tree -----------------------------------------------------------------------------

    def load_prompts(self, select: uuid.UUID | None = None) -> None:
        if select is not None:
            self._prompt_select = select
        self._fetch_prompts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-prompts")
    def _fetch_prompts(self) -> None:
        read = self.reads["prompts"].start()
        prompts = self.services.prompts
        shared = prompts.sharing.shared_with_me()
        self.post_message(PromptsLoaded(prompts.folders(), prompts.summaries(), shared, read))

    @on(PromptsLoaded)
    def _prompts_loaded(self, message: PromptsLoaded) -> None:
        if not self.reads["prompts"].is_newest(message.read):
            return  # read before a write whose own read is shown
        self.folders = message.folders
        select, self._prompt_select = self._prompt_select, None
        self.prompt_tree.show(message.folders, message.prompts, select, message.shared)
        self.keys_ready()  # the first list is in: keys typed during the load come in now

    @on(Tree.NodeHighlighted, "#prompt-tree")
    def _tree_moved(self) -> None:
        from promptterm.services.library.prompts import FolderInfo, PromptSummary

        item = self.prompt_tree.item
        if isinstance(item, PromptSummary):
            if self.current_prompt is None or self.current_prompt.id != item.id:
                self._load_prompt(item.id)
        elif isinstance(item, FolderInfo):
            node = self.prompt_tree.cursor_node
            count = sum(1 for c in node.children if c.data is not None) if node else 0
            self.pane.show_folder(item, count)
        else:
            self.pane.show_text("Pick a prompt on the left; n makes a new one.")
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-prompt")
    def _load_prompt(self, prompt_id: uuid.UUID) -> None:
        read = self.reads["prompt"].start()
        prompt = self.services.prompts.get(prompt_id)
        if not get_current_worker().is_cancelled:  # else the cursor moved on meanwhile
            self.post_message(PromptLoaded(prompt, read))

    @on(PromptLoaded)
    async def _prompt_loaded(self, message: PromptLoaded) -> None:
        item = self.prompt_tree.item
        if item is None or item.id != message.prompt.id:
            return  # the cursor moved on meanwhile
        if not self.reads["prompt"].is_newest(message.read):
            return  # read before a write whose own answer is shown
        await self.pane.show_prompt(message.prompt)
        focus, self.module_focus = self.module_focus, None
        ids = [m.id for m in message.prompt.modules]
        if focus in ids:
            self.module_list.highlighted = ids.index(focus)  # type: ignore[arg-type]
        self.refresh_bindings()
        self._render_now()

    # Rendering ----------------------------------------------------------------------------

    @on(VariablesForm.Changed)
    def _variables_changed(self) -> None:
        self._render_now()

    def _render_now(self) -> None:
        prompt = self.current_prompt
        if prompt is None:
            return
        self._render_request += 1
        form = self.query_one(VariablesForm)
        if not form.check():
            self.rendered = None
            names = [s.name for s in form.specs if form.query_one(f"#var-error-{s.name}").display]
            self.pane.show_refused(f"Fix {', '.join(names)} above to see the rendered prompt.")
            return
        self._render_prompt(prompt.id, form.values(), self._render_request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-render")
    def _render_prompt(self, prompt_id: uuid.UUID, values: dict[str, Any], request: int) -> None:
        from promptterm.services.tokens import estimate_tokens

        # A blank field means "not given": the service then uses the default or names it.
        given = {k: v for k, v in values.items() if v is not None and v != ""}
        try:
            text = self.services.prompts.render(prompt_id, given)
        except ValidationError as exc:
            self.post_message(RenderRefused(prompt_id, exc.field, exc.message, request))
        else:
            self.post_message(PromptRendered(prompt_id, text, estimate_tokens(text), request))

    @on(PromptRendered)
    def _rendered(self, message: PromptRendered) -> None:
        if message.request != self._render_request:
            return  # the form changed since it was asked for
        if self.current_prompt is not None and self.current_prompt.id == message.prompt_id:
            self.rendered = message.text
            self.pane.show_rendered(message.text, message.tokens)
            self.refresh_bindings()

    @on(RenderRefused)
    def _refused(self, message: RenderRefused) -> None:
        if message.request != self._render_request:
            return
        if self.current_prompt is None or self.current_prompt.id != message.prompt_id:
            return
        self.rendered = None
        if message.field:
            self.query_one(VariablesForm).show_error(message.field, message.message)
        self.pane.show_refused(message.message)
        self.refresh_bindings()

    def action_copy_render(self) -> None:
        if self.rendered is None:
            self._say_not_rendered()
            return
        self.app.copy_to_clipboard(self.rendered)
        self.notify(f"Copied the rendered prompt ({len(self.rendered):,} characters).")
        self._record_use("copy")

    def _record_use(self, action: str) -> None:
        """Keep the use (and the values it was filled with) for sorting by use."""
        prompt = self.current_prompt
        if prompt is not None:
            values = self.query_one(VariablesForm).values()
            given = {k: v for k, v in values.items() if v is not None and v != ""}
            self._write_use(prompt.id, action, given)

    @work(thread=True, exit_on_error=False, group="library-usage")
    def _write_use(self, prompt_id: uuid.UUID, action: str, values: dict[str, Any]) -> None:
        self.services.prompt_usage.record(prompt_id, action, values=values)

    def _say_not_rendered(self) -> None:
        preview = str(self.pane.query_one("#prompt-preview").render()).lstrip("⚠ ")
        self.notify(
            preview or "The prompt has not rendered yet.",
            title="Not rendered",
            severity="warning",
            markup=False,
        )

    def action_send_to_chat(self) -> None:
        prompt = self.current_prompt
        if prompt is None or self.rendered is None:
            self._say_not_rendered()
            return
        project = self.pt_app.current_project
        self._record_use("send")
        self._start_thread(prompt.name, self.rendered, project.id if project else None)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _start_thread(self, title: str, text: str, project_id: uuid.UUID | None) -> None:
        chat = self.services.chat
        try:
            thread = chat.create_thread(project_id=project_id, title=title)
        except ServiceError:
            # A viewer of the current project cannot start threads there: a thread of its own.
            thread = chat.create_thread(title=title)
        # The thread's own draft: it waits there, whichever thread is in front meanwhile.
        self.services.chat_drafts.save(thread.id, text)
        self.post_message(ThreadStarted(thread.id, thread.title, text))

    @on(ThreadStarted)
    async def _thread_started(self, message: ThreadStarted) -> None:
        # The text also goes to the clipboard: whatever the chat area does with a draft, the
        # user can paste it.
        self.app.copy_to_clipboard(message.text)
        target = JumpTarget("thread", message.thread_id, message.title, "", area="chat")
        await self.pt_app.jump(target)
        put_draft = getattr(self.app.screen, "put_draft", None)
        if put_draft is not None:
            put_draft(message.thread_id, message.text)
            note = f"Started the thread {message.title!r}: the prompt is your first message."
        else:
            note = f"Started the thread {message.title!r}; the rendered prompt is on the clipboard."
        self.app.notify(note, markup=False)

    # Modules ------------------------------------------------------------------------------

    def _module(self) -> Any:
        prompt = self.current_prompt
        module_id = self.module_list.selected_id
        if prompt is None or module_id is None:
            return None
        return next((m for m in prompt.modules if m.id == module_id), None)

    def action_toggle_module(self) -> None:
        prompt, module = self.current_prompt, self._module()
        if prompt is not None and module is not None:
            self._module_write("toggle", prompt, module.id, 0)

    def action_move_module(self, step: int) -> None:
        prompt, module = self.current_prompt, self._module()
        if prompt is not None and module is not None:
            self._module_write("move", prompt, module.id, step)

    def action_module_options(self) -> None:
        """o: the module's options: make default, add, edit, delete."""
        prompt, module = self.current_prompt, self._module()
        if prompt is None or module is None:
            return
        from promptterm.ui.library.dialogs.options import ModuleOptionsScreen

        self.app.push_screen(
            ModuleOptionsScreen(self.services, prompt, module.id), self._parts_done
        )

    @work(thread=True, exit_on_error=False, group="library-modules")
    def _module_write(self, what: str, shown: PromptInfo, module_id: uuid.UUID, step: int) -> None:
        """Names the version the key was pressed on: a prompt changed elsewhere meanwhile is
        refused in words and reloads, rather than that change being undone. Keys pressed
        faster than the screen redraws build on this screen's own last write, in turn."""
        edits = self.services.prompt_edits
        with self._module_lock:
            mine = self._module_wrote
            base = (
                mine
                if mine is not None and mine.id == shown.id and mine.version > shown.version
                else shown
            )
            module = next((m for m in base.modules if m.id == module_id), None)
            if module is None:
                return
            try:
                if what == "toggle":
                    after = edits.set_module_visible(
                        base.id, module_id, not module.visible, expected_version=base.version
                    )
                else:
                    to = base.modules.index(module) + step
                    if not 0 <= to < len(base.modules):
                        return
                    after = edits.move_module(base.id, module_id, to, expected_version=base.version)
            except StaleEdit:
                self._module_wrote = None
                read = self.reads["prompt"].start()
                self.post_message(PromptLoaded(self.services.prompts.get(shown.id), read))
                raise
            self._module_wrote = after
            # Numbered as written (under the lock): a write answering after a later one's
            # answer is not shown over it.
            read = self.reads["prompt"].start()
        self.post_message(PromptLoaded(after, read))

    @on(Changed)
    def _prompt_changed(self, message: Changed) -> None:
        if "prompt" in message.views and self.current_prompt is not None:
            self._load_prompt(self.current_prompt.id)
