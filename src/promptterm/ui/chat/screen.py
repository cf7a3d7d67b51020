"""The chat area: threads on the left; the open thread's messages, streaming as they arrive;
the composer below. Keys depend on where the focus is (composer, messages, thread list), and
the Footer shows the ones that apply there.

Built in layers, one file each: ChatLoading (list, thread, paging) < ChatSending (send,
stream, stop, regenerate, edit) < ChatActions (what the keys do) < ChatScreen (layout, keys).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, TextArea

from promptterm.ui.chat.actions import ChatActions
from promptterm.ui.chat.widgets.thread_list import ThreadList, ThreadOptions
from promptterm.ui.chat.widgets.transcript import Transcript, Window
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine

if TYPE_CHECKING:
    from promptterm.services.chat import ThreadToolSettings

# Keys that act on the selected message (the messages have the focus), or on the
# highlighted thread (the thread list has it).
MESSAGE_ACTIONS = {
    "copy",
    "copy_code",
    "edit",
    "delete_message",
    "version",
    "open_branch",
    "tool_output",
}
LIST_ACTIONS = {"archive", "delete_thread", "toggle_archived", "toggle_scope"}


def _b(key: str, action: str, description: str, id: str, **kw: object) -> Binding:
    return Binding(key, action, description, id=f"chat-{id}", **kw)  # type: ignore[arg-type]


class ChatScreen(ChatActions):
    AREA = "chat"
    CSS_PATH = css_path("chat.tcss")
    AUTO_FOCUS = "#chat-composer"
    SUB_TITLE = "Chat"
    # Help lists these under their pane: "del" deletes a message or a whole thread.
    HELP_PANES: ClassVar[dict[str, str]] = {
        "stop": "While an answer streams",
        **dict.fromkeys(MESSAGE_ACTIONS, "Messages"),
        **dict.fromkeys(LIST_ACTIONS, "Thread list"),
    }
    TYPING_TARGETS: ClassVar[dict[str, str]] = {
        "chat-filter": "thread filter",
        "chat-composer": "message",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        # ctrl+j is what every terminal sends for ctrl+enter unless it reports ctrl+enter itself.
        _b("ctrl+j,ctrl+enter", "send", "Send", "send", tooltip="Send the message (or the edit)"),
        _b("escape", "stop", "Stop", "stop", priority=True, tooltip="Stop the answer; keep it"),
        _b(
            "escape",
            "back",
            "Box or messages",
            "back",
            show=False,
            tooltip="Cancel an edit; else between the box and the messages",
        ),
        _b("ctrl+r", "retry", "Retry", "retry", tooltip="A new answer to the last question"),
        _b("f3", "model", "Model", "model", tooltip="The thread's provider and model"),
        _b("f4", "preset", "Preset", "preset", tooltip="The thread's preset (system prompt)"),
        _b(
            "f12",  # f6 selects a line in the message box
            "tools",
            "Tools",
            "tools",
            show=False,
            tooltip="Tool sources (MCP servers or single tools) the model may call here",
        ),
        _b(
            "ctrl+o",
            "attach",
            "Attach resource",
            "attach",
            show=False,
            tooltip="Attach an MCP server's resource to the message (again: take it off)",
        ),
        _b("f7", "select_all", "Select all", "select-all", show=False, tooltip="All of the box"),
        _b(
            "ctrl+l",
            "clear_box",
            "Clear the box",
            "clear",
            show=False,
            tooltip="Empty the message box (ctrl+z brings the text back)",
        ),
        _b("ctrl+n", "new_thread", "New thread", "new", show=False),
        _b("f2", "rename", "Rename thread", "rename", show=False),
        _b("ctrl+f", "search", "Search threads", "search", show=False),
        _b("f8", "export", "Export thread", "export", show=False, tooltip="Markdown or JSON"),
        _b(
            "f5",
            "import_history",
            "Import history…",
            "import",
            show=False,
            tooltip="ChatGPT, Claude, llm, elia or oterm",
        ),
        _b("f9", "keys", "API keys", "keys", show=False),
        _b("f10", "providers", "Providers", "providers", show=False),
        _b("slash", "filter", "Filter threads", "filter", show=False),
        # The selected message (focus on the messages).
        _b("c", "copy", "Copy", "copy", tooltip="Copy the message (OSC 52: works over SSH)"),
        _b("b", "copy_code", "Code", "copy-code", tooltip="Copy a code block; again: next"),
        _b("e", "edit", "Edit", "edit", tooltip="Edit your message and resend it"),
        _b("x,delete", "delete_message", "Delete", "delete-message"),
        _b("left_square_bracket", "version(-1)", "Older version", "version-older", show=False),
        _b("right_square_bracket", "version(1)", "Newer version", "version-newer", show=False),
        _b("g", "open_branch", "Earlier branch", "branch", tooltip="Open what an edit replaced"),
        _b("o", "tool_output", "Expand", "tool-output", tooltip="Show or fold a tool's result"),
        # The highlighted thread (focus on the list).
        _b("a", "archive", "Archive", "archive", tooltip="Archive or restore the thread"),
        _b("d,delete", "delete_thread", "Delete", "delete-thread", tooltip="Asks first"),
        _b("v", "toggle_archived", "Archived", "show-archived", tooltip="Archived or active"),
        _b("p", "toggle_scope", "Scope", "scope", tooltip="This project or all projects"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="chat-body"):
            yield self.threads
            with Vertical(id="chat-main"):
                yield self.bar
                yield self.transcript
                yield self.notice
                yield self.edit_banner
                yield self.attacher.line
                # In a box of its own: Textual draws again every widget whose clip meets a
                # frame's changed rows, and the composer's clip would be all of #chat-main,
                # the streaming answer's rows included (a TextArea restyles itself on each
                # draw: ~0.5 ms in every frame of a stream).
                with Vertical(id="chat-composer-box"):
                    yield self.composer
        yield StatusLine()
        yield AreaFooter()

    def on_mount(self) -> None:
        self.notice.display = False
        self.edit_banner.display = False
        self.attacher.line.display = False
        self._start()

    # Focus and keys ----------------------------------------------------------------------------

    def _focus_area(self) -> str:
        focused = self.focused
        if focused is self.composer:
            return "composer"
        if focused is self.transcript:
            return "transcript"
        if isinstance(focused, ThreadOptions):
            return "list"
        if isinstance(focused, Input):
            return "input"
        return ""

    def typing_target(self, widget: Widget) -> str | None:
        if widget is self.composer and self.editing is not None:
            return "your edit"
        return super().typing_target(widget)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the Footer and the palette, and lets the key go on to the
        # focused widget (esc, delete): only what applies here and now is offered.
        area = self._focus_area()
        if action == "stop":
            return self.streaming
        if action == "send":
            return area == "composer"
        if action in ("select_all", "clear_box"):
            return area == "composer" and bool(self.composer.text)
        if action == "back":
            return self.editing is not None or area in ("composer", "transcript", "list")
        if action == "attach":
            return self.editing is None  # an edit changes the text of a message already sent
        if action == "retry":
            return self.thread is not None and not self.streaming and bool(self.transcript.views)
        if action in ("rename", "export"):
            return self.thread is not None
        if action == "filter":
            return area in ("list", "transcript")
        if action in MESSAGE_ACTIONS:
            return area == "transcript" and self._message_action_applies(action, parameters)
        if action in LIST_ACTIONS:
            return area == "list" and (
                action.startswith("toggle") or self.threads.highlighted is not None
            )
        return True

    def _message_action_applies(self, action: str, parameters: tuple[object, ...]) -> bool:
        view = self.selected
        if view is None:
            return False
        if action == "edit":
            return view.message.role == "user" and not self.streaming and not view.is_tool_result
        if action == "tool_output":
            return view.is_tool_result
        if action == "delete_message":
            return not view.streaming
        if action == "version":
            return view.version_count > 1
        if action == "open_branch":
            return bool(view.edited)
        return True

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        self.refresh_bindings()

    @on(Transcript.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_bindings()

    @on(ThreadList.Highlighted)
    def _thread_highlighted(self) -> None:
        self.refresh_bindings()

    def put_draft(self, thread_id: uuid.UUID, text: str) -> None:
        """``text`` becomes the thread's draft, shown when that thread is in front (the
        library's "send to chat")."""
        self.drafts.put(thread_id, text)
        self.composer.focus()

    @on(TextArea.Changed, "#chat-composer")
    def _composer_changed(self) -> None:
        if self.editing is None:  # an edit's text is the message's, not a draft
            self.drafts.typed(self.composer.text)
        if not self.composer.text.strip():
            self.hide_notice()  # a refusal is about a message no longer there

    def action_send(self) -> None:
        self.send(self.composer.text)

    def action_stop(self) -> None:
        self.stop()

    def action_retry(self) -> None:
        self.regenerate()

    def action_tool_output(self) -> None:
        view = self.selected
        if view is not None and view.is_tool_result:
            view.toggle_expanded()
            self.refresh_bindings()

    def action_attach(self) -> None:
        self.attacher.begin()

    def action_tools(self) -> None:
        # On a new thread too (as f3 and f4): saving the tools makes the thread.
        self._ask_tools(self.thread.id if self.thread is not None else None)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _ask_tools(self, thread_id: uuid.UUID | None) -> None:
        from promptterm.services.chat import ThreadToolSettings

        tools = self.services.chat_send.tools
        current = tools.get(thread_id) if thread_id else ThreadToolSettings((), False, ())
        servers = [s.name for s in self.services.mcp.list(enabled_only=True)]
        self.app.call_from_thread(self._show_tools_form, thread_id, current, servers)

    def _show_tools_form(
        self, thread_id: uuid.UUID | None, current: ThreadToolSettings, servers: list[str]
    ) -> None:
        from promptterm.ui.chat.dialogs.tools import tools_form

        project_id = self.threads.scope.project_id
        made: list[uuid.UUID] = []

        def new_thread() -> uuid.UUID:
            made.append(self.services.chat.create_thread(project_id=project_id).id)
            return made[0]

        def done(saved: ThreadToolSettings | None) -> None:
            if saved is None:
                return
            note = f"Tools for this thread: {', '.join(saved.tools) or 'none'}."
            if made:
                self._tools_thread_made(made[0], note)
            elif thread_id is not None:
                self.refresh_thread(thread_id, note)

        form = tools_form(self.services.chat_send.tools, thread_id or new_thread, current, servers)
        self.app.push_screen(form, done)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def _tools_thread_made(self, thread_id: uuid.UUID, note: str) -> None:
        from promptterm.ui.chat.messages import ThreadCreated

        chat = self.services.chat
        self.post_message(ThreadCreated(chat.get_thread(thread_id), chat.totals(thread_id)))
        self.notify(note)

    def action_back(self) -> None:
        if self.editing is not None:
            self.cancel_edit()
        elif self.focused is self.composer:
            self.transcript.focus()
        else:
            self.focus_composer()

    # The thread list's filter --------------------------------------------------------------------

    @on(Input.Changed, "#chat-filter")
    def _filter_changed(self) -> None:
        self.reload_threads()

    @on(Input.Submitted, "#chat-filter")
    def _filter_done(self) -> None:
        self.threads.options.focus()

    def on_key(self, event: events.Key) -> None:
        # In the filter, esc clears it and down goes to the threads, as in a search box.
        if self.focused is self.threads.filter and event.key in ("escape", "down"):
            if event.key == "escape":
                self.threads.filter.value = ""
            self.threads.options.focus()
            event.stop()

    # The new-thread state ----------------------------------------------------------------------

    def _show_draft(self) -> None:
        self.bar.show_draft(self.default_model(), None)
        self.transcript.newer = 0
        self.call_next(self._render_draft)
        self.refresh_bindings()

    async def _render_draft(self) -> None:
        if self.thread is not None:
            return  # a thread was opened meanwhile
        await self.transcript.show_window(Window([], 0, 0), ())
        await self.transcript.show_empty(self._draft_text())

    def _draft_text(self) -> Content:
        lines: list[Content | tuple[str, str] | str] = [("New thread", "bold"), "\n"]
        if self.entries is not None and not self.entries:
            lines += [
                ("No provider is set up yet: ", "$text-warning"),
                "f10 adds one (a local server such as Ollama at http://localhost:11434/v1, "
                "or OpenAI, Anthropic, OpenRouter); f9 stores its key.\n",
            ]
        lines += [
            "Write below: ctrl+j sends, enter starts a new line.\n",
            ("f3", "bold"),
            " model · ",
            ("f4", "bold"),
            " preset · ",
            ("ctrl+f", "bold"),
            " search · ",
            ("tab", "bold"),
            " box, messages, threads",
        ]
        return Content.assemble(*lines)
