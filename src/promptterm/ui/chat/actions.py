"""What the chat's keys do to threads and messages: new, rename, archive, delete; copy a
message or a code block, flip versions, edit and resend, delete a message, open the branch
an edit left; pick the model or the preset; the key and provider dialogs.

The third layer of ChatScreen (ChatLoading < ChatSending < ChatActions < ChatScreen).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message

from promptterm.services.words import plural
from promptterm.ui.chat.messages import (
    DeleteAsked,
    MessageGone,
    ThreadChanged,
    ThreadCreated,
    ThreadGone,
)
from promptterm.ui.chat.sending import ChatSending
from promptterm.ui.chat.widgets.format import code_blocks
from promptterm.ui.chat.widgets.message import MessageView
from promptterm.ui.chat.widgets.thread_list import Scope
from promptterm.ui.common.dialogs.fields import Field

if TYPE_CHECKING:
    from textual.screen import Screen

    from promptterm.services.chat import ImportReport
    from promptterm.services.chat.search import SearchHit
    from promptterm.services.chat.threads import ThreadInfo, ThreadTotals
    from promptterm.services.plan import NoteHit
    from promptterm.ui.chat.dialogs.models import ModelChoice
    from promptterm.ui.chat.dialogs.presets import PresetChoice


@dataclass
class PresetSwitched(Message):
    thread: ThreadInfo
    totals: ThreadTotals


class ChatActions(ChatSending):
    def __init__(self) -> None:
        super().__init__()
        self._code_turn: dict[uuid.UUID, int] = {}  # which code block "b" copies next

    # Threads -----------------------------------------------------------------------------------

    def action_new_thread(self) -> None:
        self.switch_draft(None)
        self.end_edit()
        self.hide_notice()
        self.thread = None
        self.totals = None
        self.reads["open"].supersede()  # a thread still being opened stays closed
        self.threads.mark_open(None, self.now())
        self._show_draft()
        self.focus_composer()

    def action_select_all(self) -> None:
        self.composer.select_all()

    def action_clear_box(self) -> None:
        self.composer.clear()  # one edit: ctrl+z brings it back
        self.notify("Cleared the box; ctrl+z brings the text back.", timeout=3)

    def action_rename(self) -> None:
        thread = self.thread
        if thread is None:
            return
        from promptterm.ui.common.dialogs.form import FormScreen

        def submit(values: dict[str, str]) -> ThreadInfo:
            return self.services.chat.rename(thread.id, values["title"])

        def done(renamed: ThreadInfo | None) -> None:
            if renamed is not None:
                self.post_message(ThreadChanged(renamed, None, f"Renamed to {renamed.title!r}."))

        fields = [Field("title", "Title", value=thread.title)]
        self.app.push_screen(
            FormScreen("Rename thread", fields, submit, submit_label="Rename"), done
        )

    def action_archive(self) -> None:
        thread = self.threads.highlighted
        if thread is not None:
            self._archive(thread.id, not thread.is_archived)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _archive(self, thread_id: uuid.UUID, archived: bool) -> None:
        thread = self.services.chat.archive(thread_id, archived)
        what = "Archived" if archived else "Restored"
        where = " (v shows archived threads)" if archived else ""
        self.post_message(ThreadChanged(thread, None, f"{what} {thread.title!r}{where}."))

    def action_delete_thread(self) -> None:
        thread = self.threads.highlighted
        if thread is not None:
            self._ask_delete(thread)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _ask_delete(self, thread: ThreadInfo) -> None:
        self.post_message(DeleteAsked(thread, self.services.chat.message_count(thread.id)))

    @on(DeleteAsked)
    def _confirm_delete(self, message: DeleteAsked) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        thread, n = message.thread, message.count
        question = (
            f"Delete the thread {thread.title!r} with its {plural(n, 'message')}? "
            "This cannot be undone (a (archive) keeps it out of the way instead)."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete_thread(thread.id)

        self.app.push_screen(ConfirmScreen("Delete thread", question), done)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _delete_thread(self, thread_id: uuid.UUID) -> None:
        title = self.services.chat.delete_thread(thread_id)
        self.post_message(ThreadGone(thread_id, f"Deleted the thread {title!r}."))

    def action_toggle_archived(self) -> None:
        scope = self.threads.scope
        self.threads.set_scope(Scope(not scope.archived, scope.project_id, scope.project_name))
        self.reload_threads()

    def action_toggle_scope(self) -> None:
        scope = self.threads.scope
        project = self.pt_app.current_project
        if scope.project_id is not None:
            self.threads.set_scope(Scope(scope.archived))
        elif project is not None:
            self.threads.set_scope(Scope(scope.archived, project.id, project.name))
        else:
            self.notify("Open a project in the explorer (1) to list only its threads.")
            return
        self.reload_threads()

    def action_filter(self) -> None:
        self.threads.filter.focus()

    # Messages ----------------------------------------------------------------------------------

    @property
    def selected(self) -> MessageView | None:
        return self.transcript.selected

    def action_copy(self) -> None:
        view = self.selected
        if view is not None:
            self.app.copy_to_clipboard(view.content)
            n = len(view.content)
            self.notify(f"Copied the message ({plural(n, 'character')}).")

    def action_copy_code(self) -> None:
        view = self.selected
        if view is None:
            return
        blocks = code_blocks(view.content)
        if not blocks:
            self.notify("That message has no code block; c copies all of it.", severity="warning")
            return
        # Pressed again, it copies the next block of the same message.
        turn = self._code_turn.get(view.message.id, -1) + 1
        turn %= len(blocks)
        self._code_turn[view.message.id] = turn
        block = blocks[turn]
        self.app.copy_to_clipboard(block.code)
        which = f" {turn + 1} of {len(blocks)}" if len(blocks) > 1 else ""
        again = " (b again for the next)" if len(blocks) > 1 else ""
        self.notify(f"Copied code block{which} ({block.describe}){again}.")

    async def action_version(self, step: int) -> None:
        view = self.selected
        flipped = view is not None and await view.flip(step)
        if view is not None and not flipped and view.version_count == 1:
            self.notify("This answer has one version; ctrl+r makes another.")

    def action_edit(self) -> None:
        view = self.selected
        if view is not None and view.message.role == "user":
            self.begin_edit(view.message)

    def action_delete_message(self) -> None:
        view = self.selected
        if view is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        m = view.message
        used = (m.tokens_in or 0) + (m.tokens_out or 0)
        what = "your message" if m.role == "user" else "this answer"
        tokens = f" Its {used:,} tokens leave the thread's total." if used else ""
        question = f"Delete {what} from the thread?{tokens} This cannot be undone."

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete_message(m.id, m.thread_id)

        self.app.push_screen(ConfirmScreen("Delete message", question), done)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _delete_message(self, message_id: uuid.UUID, thread_id: uuid.UUID) -> None:
        self.services.chat.delete_message(message_id)
        chat = self.services.chat
        self.post_message(
            MessageGone(message_id, chat.get_thread(thread_id), chat.totals(thread_id))
        )

    @on(MessageGone)
    async def _message_gone(self, message: MessageGone) -> None:
        view = self.transcript.view_of(message.message_id)
        if view is not None:
            await self.transcript.remove_view(view)
        self.post_message(ThreadChanged(message.thread, message.totals, "Deleted the message."))

    def action_open_branch(self) -> None:
        view = self.selected
        edited: dict[str, Any] | None = view.message.meta.get("edited") if view else None
        if edited and edited.get("branch_thread_id"):
            self.open_thread(uuid.UUID(edited["branch_thread_id"]))

    # Model and preset --------------------------------------------------------------------------

    def action_model(self) -> None:
        from promptterm.ui.chat.dialogs.models import ModelPickerScreen

        thread = self.thread
        title = f"Model for {thread.title}" if thread else "Model for the new thread"
        picker = ModelPickerScreen(
            self.services,
            provider=thread.provider if thread else None,
            model=thread.model if thread else None,
            title=title,
        )
        self._push(picker, self._model_chosen)

    def _model_chosen(self, choice: ModelChoice | None) -> None:
        if choice is not None:
            thread_id = self.thread.id if self.thread else None
            self._set_model(thread_id, choice.provider, choice.model, self.threads.scope.project_id)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _set_model(
        self, thread_id: uuid.UUID | None, provider: str, model: str, project_id: uuid.UUID | None
    ) -> None:
        chat = self.services.chat
        note = f"This thread now talks to {model} ({provider})."
        if thread_id is None:
            thread = chat.create_thread(project_id=project_id, provider=provider, model=model)
            self.post_message(ThreadCreated(thread, chat.totals(thread.id)))
            self.notify(note)
        else:
            thread = chat.set_model(thread_id, provider, model)
            self.post_message(ThreadChanged(thread, chat.totals(thread_id), note))

    def action_preset(self) -> None:
        from promptterm.ui.chat.dialogs.presets import PresetPickerScreen

        thread = self.thread
        title = f"Preset for {thread.title}" if thread else "Preset for the new thread"
        current = thread.current_preset_id if thread else None
        picker = PresetPickerScreen(self.services, current=current, title=title)
        self._push(picker, self._preset_chosen)

    def _preset_chosen(self, choice: PresetChoice | None) -> None:
        if choice is None:
            return
        thread = self.thread
        if thread is not None and thread.current_preset_id == choice.preset_id:
            return  # the same preset: nothing changes, nothing to record
        self._set_preset(thread.id if thread else None, choice, self.threads.scope.project_id)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _set_preset(
        self, thread_id: uuid.UUID | None, choice: PresetChoice, project_id: uuid.UUID | None
    ) -> None:
        chat = self.services.chat
        if thread_id is None:
            thread = chat.create_thread(project_id=project_id, preset_id=choice.preset_id)
            self.post_message(ThreadCreated(thread, chat.totals(thread.id)))
        else:
            thread = chat.set_preset(thread_id, choice.preset_id)
            self.post_message(PresetSwitched(thread, chat.totals(thread_id)))

    @on(PresetSwitched)
    async def _preset_switched(self, message: PresetSwitched) -> None:
        thread = message.thread
        change = thread.preset_history[-1]
        if self.thread is not None and self.thread.id == thread.id:
            await self.transcript.add_note(change)
        self.post_message(ThreadChanged(thread, message.totals, f"Preset: {change.preset_name}."))

    # Dialogs -----------------------------------------------------------------------------------

    def action_keys(self) -> None:
        from promptterm.ui.chat.dialogs.api_keys import KeysScreen

        self._push(KeysScreen(self.services, now=self.now()))

    def action_providers(self) -> None:
        from promptterm.ui.chat.dialogs.providers import ProvidersScreen

        self._push(ProvidersScreen(self.services), lambda _: self._reload_providers())

    @work(thread=True, exit_on_error=False, group="chat-providers")
    def _reload_providers(self) -> None:
        from promptterm.ui.chat.messages import ProvidersLoaded

        self.post_message(ProvidersLoaded(self.services.providers.list()))

    def action_search(self) -> None:
        from promptterm.services.plan import NoteHit
        from promptterm.ui.chat.dialogs.search import SearchScreen

        def done(hit: SearchHit | NoteHit | None) -> None:
            if isinstance(hit, NoteHit):
                self._open_note(hit)
            elif hit is not None:
                self.reveal_thread(hit.thread_id, hit.seq)

        self._push(SearchScreen(self.services, now=self.now()), done)

    def _open_note(self, note: NoteHit) -> None:
        """A note found by the search opens in the plan area's Notes, on its project."""
        from typing import cast

        from promptterm.ui.common.host import AppHost
        from promptterm.ui.common.jump import JumpTarget

        target = JumpTarget(
            "note", note.note_id, note.title, "", project_id=note.project_id, area="plan"
        )
        self.run_worker(cast("AppHost", self.app).jump(target), group="chat-jump")

    def action_export(self) -> None:
        thread = self.thread
        if thread is None:
            return
        from promptterm.ui.chat.dialogs.export import Exported, ExportScreen

        def done(exported: Exported | None) -> None:
            if exported is not None:
                what = "Markdown" if exported.format == "markdown" else "JSON"
                self.notify(
                    f"Exported the thread as {what} to {exported.path} ({exported.size:,} bytes)."
                )

        self._push(ExportScreen(self.services, thread.id, thread.title), done)

    def action_import_history(self) -> None:
        from promptterm.ui.chat.dialogs.import_history import ImportHistoryScreen, summary

        def done(report: ImportReport | None) -> None:
            if report is not None:
                self.notify(
                    summary(report), severity="warning" if report.problems else "information"
                )
                self.reload_threads()

        self._push(ImportHistoryScreen(self.services), done)

    def _push(self, screen: Screen[Any], done: Any = None) -> None:
        self.app.push_screen(screen, done)
