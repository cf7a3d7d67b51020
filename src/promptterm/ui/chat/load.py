"""Loading the chat area: the thread list, the open thread's window of messages, paging.

The base layer of ChatScreen (ChatLoading < ChatSending < ChatActions < ChatScreen). Every
service call runs in a thread worker that posts a message (messages.py); the handlers
here fill the widgets.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.content import Content
from textual.widgets import Static
from textual.worker import get_current_worker

from promptterm.services.errors import ServiceError
from promptterm.ui.chat.drafts import DraftKeeper, DraftsLoaded, Key
from promptterm.ui.chat.messages import (
    BranchTitles,
    PageLoaded,
    ProvidersLoaded,
    ThreadChanged,
    ThreadCounted,
    ThreadGone,
    ThreadOpened,
    ThreadsLoaded,
)
from promptterm.ui.chat.widgets.composer import Composer, ThreadBar
from promptterm.ui.chat.widgets.thread_list import Scope, ThreadList
from promptterm.ui.chat.widgets.transcript import Transcript, Window
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.jump import JumpTarget
from promptterm.ui.common.read_order import ReadOrder

if TYPE_CHECKING:
    from promptterm.services.chat.providers import ProviderInfo
    from promptterm.services.chat.threads import MessageInfo, ThreadInfo, ThreadTotals
    from promptterm.services.workspaces.projects import ProjectInfo

PAGE = 50  # messages mounted at a time: a 10,000-message thread opens with its last 50
LIST_LIMIT = 500  # threads in the list; the filter finds the rest
# Seconds after the chat's first reads are shown until the first send's loading is done ahead:
# the area's own drawing comes first.
MAKE_READY_AFTER = 1.0


class ChatLoading(AreaScreen):
    # Keys typed before the last thread (and its draft) is open would be put away as the new
    # thread's draft: they wait for it instead.
    WAITS_FOR_FIRST_LOAD = True

    def __init__(self) -> None:
        super().__init__()
        self.thread: ThreadInfo | None = None  # None: a new thread, made on the first send
        self.totals: ThreadTotals | None = None
        self.entries: list[ProviderInfo] | None = None  # provider entries, once loaded
        self.threads = ThreadList(id="chat-threads")
        self.transcript = Transcript(id="chat-transcript")
        self.bar = ThreadBar(id="chat-bar")
        self.composer = Composer(id="chat-composer")
        self.drafts = DraftKeeper(self.composer, self._save_drafts)
        # In place, above the composer: a refused send, and the message being edited.
        self.notice = Static(id="chat-notice", markup=False)
        self.edit_banner = Static(id="chat-edit-banner")
        self._opened_once = False
        self._pending_reveal: tuple[uuid.UUID, int | None] | None = None
        self._rereads = 0  # refresh_thread calls so far
        self._shown_reread: dict[uuid.UUID, int] = {}  # each thread's newest re-read shown
        # The list and the open thread are read in threads, again after writes: an answer
        # older than the one shown is not shown over it (a cancelled thread still runs).
        self.reads = {"list": ReadOrder(), "open": ReadOrder()}

    # Start -----------------------------------------------------------------------------------

    def _start(self) -> None:
        project = self.pt_app.current_project
        self.threads.set_scope(_scope_for(project))
        self.watch(self.app, "current_project", self._project_changed, init=False)
        self._prepare()

    @work(thread=True, exit_on_error=False, group="chat-start")
    def _prepare(self) -> None:
        # No send of this app runs yet: answers left "streaming" by a process that was killed
        # become errors with their text kept, so nothing stays "streaming…" for ever.
        self.services.chat_send.recover_interrupted()
        self.post_message(DraftsLoaded(self.services.chat_drafts.all()))
        self.post_message(ProvidersLoaded(self.services.providers.list()))
        self._load_threads_now(self.threads.query_text, self.threads.scope)
        self.call_after_refresh(self.set_timer, MAKE_READY_AFTER, self._make_ready)

    @work(thread=True, exit_on_error=False, group="chat-start")
    def _make_ready(self) -> None:
        # The first send's one-time loading (the HTTP client: about 0.3 s of CPU, which the
        # first answer's request waited for), done while the user types the question.
        self.services.chat_send.make_ready()

    def _project_changed(self, project: ProjectInfo | None) -> None:
        scope = self.threads.scope
        if project is not None and scope.project_id not in (None, project.id):
            self.threads.set_scope(Scope(scope.archived, project.id, project.name))
            self.reload_threads()

    @on(ProvidersLoaded)
    def _providers_loaded(self, message: ProvidersLoaded) -> None:
        self.entries = message.entries
        if self.thread is None:
            self._show_draft()
        else:
            self.show_bar(self.thread, self.totals)

    # Drafts: each thread's own ------------------------------------------------------------

    @on(DraftsLoaded)
    def _drafts_loaded(self, message: DraftsLoaded) -> None:
        self.drafts.loaded(message.drafts)

    @work(thread=True, exit_on_error=False, group="chat-drafts")
    def _save_drafts(self, drafts: dict[Key, str]) -> None:
        # The newest text of each, whichever of two overlapping saves runs last.
        for key in drafts:
            # ServiceError: the thread was deleted meanwhile, and its draft with it.
            with contextlib.suppress(ServiceError):
                self.services.chat_drafts.save(key, self.drafts.draft(key))

    def switch_draft(self, key: Key) -> None:
        """The composer shows thread ``key``'s draft (ChatSending adds edits)."""
        self.drafts.switch(key)

    # The thread list -------------------------------------------------------------------------

    def reload_threads(self) -> None:
        self._load_threads(self.threads.query_text, self.threads.scope)

    @work(thread=True, exclusive=True, exit_on_error=False, group="chat-threads")
    def _load_threads(self, query: str, scope: Scope) -> None:
        self._load_threads_now(query, scope)

    def _load_threads_now(self, query: str, scope: Scope) -> None:
        read = self.reads["list"].start()
        threads = self.services.chat.list_threads(
            project_id=scope.project_id,
            archived=scope.archived,
            query=query or None,
            limit=LIST_LIMIT + 1,
        )
        if not get_current_worker().is_cancelled:
            hit = len(threads) > LIST_LIMIT
            self.post_message(ThreadsLoaded(threads[:LIST_LIMIT], query, scope, hit, read))

    @on(ThreadsLoaded)
    def _threads_loaded(self, message: ThreadsLoaded) -> None:
        if message.query != self.threads.query_text or message.scope != self.threads.scope:
            return  # typed on since: a newer load is coming
        if not self.reads["list"].is_newest(message.read):
            return  # read before a write whose own read is shown
        self.threads.show(message.threads, self.now(), limit_hit=message.limit_hit)
        if self.thread is not None:
            self.threads.mark_open(self.thread.id, self.now())
        if not self._opened_once:
            self._opened_once = True
            if self._pending_reveal is not None:
                thread_id, seq = self._pending_reveal
                self._pending_reveal = None
                self.open_thread(thread_id, seq)
            elif message.threads:
                # Where the user left off: the most recently active thread.
                self.open_thread(message.threads[0].id)
            else:
                self._show_draft()
                self.keys_ready()

    @on(ThreadList.Opened)
    def _list_opened(self, message: ThreadList.Opened) -> None:
        self.open_thread(message.thread_id)
        self.focus_composer()

    # The open thread -------------------------------------------------------------------------

    def open_thread(self, thread_id: uuid.UUID, focus_seq: int | None = None) -> None:
        self._load_thread(thread_id, focus_seq)

    @work(thread=True, exclusive=True, exit_on_error=False, group="chat-open")
    def _load_thread(self, thread_id: uuid.UUID, focus_seq: int | None) -> None:
        read = self.reads["open"].start()
        if focus_seq is None:
            self._load_tail(thread_id, read)
            return
        chat = self.services.chat
        thread = chat.get_thread(thread_id)
        totals = chat.totals(thread_id)
        before = chat.messages(thread_id, limit=PAGE // 2, before_seq=focus_seq + 1)
        after = chat.messages(thread_id, limit=PAGE // 2, after_seq=focus_seq)
        messages = before + after
        newer = chat.message_count(thread_id, after_seq=messages[-1].seq) if messages else 0
        older = chat.message_count(thread_id, before_seq=messages[0].seq) if messages else 0
        titles = self._branch_titles_of(messages)
        if not get_current_worker().is_cancelled:
            window = Window(messages, older, newer)
            self.post_message(ThreadOpened(thread, totals, window, focus_seq, titles, read))

    def _load_tail(self, thread_id: uuid.UUID, read: int) -> None:
        """The thread at its end. What the first screen draws is read first, in reads that
        take as long at 100,000 messages as at 100; the counts that go through all of them
        follow (the totals in the bar, usually drawn in the same frame; the number in the
        marker above the window, far out of sight at the end)."""
        chat = self.services.chat
        # One more than a page: when it comes, there are earlier messages, to be counted.
        thread, messages = chat.thread_tail(thread_id, limit=PAGE + 1)
        more = len(messages) > PAGE
        messages = messages[-PAGE:]
        titles = self._branch_titles_of(messages)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        window = Window(messages, None if more else 0, 0)
        self.post_message(ThreadOpened(thread, None, window, None, titles, read))
        totals = chat.totals(thread_id)
        older = chat.message_count(thread_id, before_seq=messages[0].seq) if more else None
        if not worker.is_cancelled:
            self.post_message(ThreadCounted(thread_id, totals, older, read))

    def _branch_titles_of(self, messages: list[MessageInfo]) -> dict[uuid.UUID, str]:
        """Titles of the archived branches that edits left (shown on the edited messages)."""
        titles: dict[uuid.UUID, str] = {}
        for m in messages:
            edited: dict[str, Any] | None = m.meta.get("edited")
            if not edited or not edited.get("branch_thread_id"):
                continue
            branch_id = uuid.UUID(edited["branch_thread_id"])
            try:
                titles[branch_id] = self.services.chat.get_thread(branch_id).title
            except Exception:
                titles[branch_id] = "(deleted)"
        return titles

    @on(ThreadOpened)
    async def _thread_opened(self, message: ThreadOpened) -> None:
        if not self.reads["open"].is_newest(message.read):
            return  # another thread opened since, or this one read again after a write
        self.switch_draft(message.thread.id)
        self.thread, self.totals = message.thread, message.totals
        self.hide_notice()
        self.show_bar(message.thread, message.totals)
        self.threads.mark_open(message.thread.id, self.now())
        self._list_scope_with(message.thread)
        self.transcript.branch_titles.update(message.branch_titles)
        await self.transcript.show_window(
            message.window, message.thread.preset_history, focus_seq=message.focus_seq
        )
        await self._reattach_stream()
        if message.focus_seq is not None:
            self.transcript.focus()
        self.refresh_bindings()
        self.keys_ready()

    @on(ThreadCounted)
    def _thread_counted(self, message: ThreadCounted) -> None:
        if self.thread is None or self.thread.id != message.thread_id:
            return
        if not self.reads["open"].is_newest(message.read):
            return  # opened again since: that read counts for itself
        if message.older is not None:
            self.transcript.counted(message.older)
        if self.totals is None:  # (not: a re-read after a write has shown newer ones)
            self.totals = message.totals
            self.show_bar(self.thread, self.totals)

    def _list_scope_with(self, thread: ThreadInfo) -> None:
        """A thread opened from elsewhere (the palette, a card's link) that the list's scope
        leaves out (another project, none, archived): the list widens to every project, so
        the open thread is listed and marked instead of "No threads here yet"."""
        scope = self.threads.scope
        other_project = scope.project_id is not None and thread.project_id != scope.project_id
        if other_project or scope.archived != thread.is_archived:
            self.threads.set_scope(Scope(thread.is_archived))
            self.reload_threads()

    async def _reattach_stream(self) -> None:
        """Defined by ChatSending: pick up the answer still streaming in this thread."""

    def _show_draft(self) -> None:
        """Defined by ChatScreen: the empty state of a new thread."""

    def default_model(self) -> str | None:
        """Where a thread without a model sends: the only provider's default model."""
        entries = self.entries or []
        return entries[0].default_model if len(entries) == 1 else None

    def show_bar(self, thread: ThreadInfo, totals: ThreadTotals | None) -> None:
        self.bar.show(thread, totals, self.default_model())

    def focus_composer(self) -> None:
        self.composer.focus()

    def show_notice(self, text: str, severity: str = "information") -> None:
        self.notice.update(text)
        for level in ("information", "warning", "error"):
            self.notice.set_class(level == severity, f"-{level}")
        self.notice.display = True

    def hide_notice(self) -> None:
        self.notice.display = False

    def show_edit_banner(self, message: MessageInfo | None) -> None:
        self.edit_banner.display = message is not None
        if message is not None:
            self.edit_banner.update(
                Content.assemble(
                    ("✎ Editing your message", "bold"),
                    (": ctrl+j resends it and the thread continues from there (what ", ""),
                    ("followed is kept in an archived branch) · esc cancels", ""),
                )
            )

    # Paging ----------------------------------------------------------------------------------

    @on(Transcript.NeedOlder)
    def _need_older(self, message: Transcript.NeedOlder) -> None:
        if self.thread is not None:
            self._load_page(self.thread.id, message.before_seq, True)

    @on(Transcript.NeedNewer)
    def _need_newer(self, message: Transcript.NeedNewer) -> None:
        if self.thread is not None:
            self._load_page(self.thread.id, message.after_seq, False)

    @work(thread=True, exit_on_error=False, group="chat-page")
    def _load_page(self, thread_id: uuid.UUID, seq: int, older: bool) -> None:
        chat = self.services.chat
        if older:
            page = chat.messages(thread_id, limit=PAGE, before_seq=seq)
            left = chat.message_count(thread_id, before_seq=page[0].seq) if page else 0
        else:
            page = chat.messages(thread_id, limit=PAGE, after_seq=seq)
            left = chat.message_count(thread_id, after_seq=page[-1].seq) if page else 0
        titles = self._branch_titles_of(page)
        if titles:
            self.post_message(BranchTitles(titles))
        self.post_message(PageLoaded(thread_id, page, left, older))

    @on(PageLoaded)
    async def _page_loaded(self, message: PageLoaded) -> None:
        if self.thread is None or message.thread_id != self.thread.id:
            return
        if message.older:
            await self.transcript.add_older(message.messages, message.remaining)
        else:
            await self.transcript.add_newer(message.messages, message.remaining)

    @work(thread=True, exit_on_error=False, group="chat-page")
    def fetch_branch_titles(self, messages: list[MessageInfo]) -> None:
        self.post_message(BranchTitles(self._branch_titles_of(messages)))

    @on(BranchTitles)
    def _branch_titles(self, message: BranchTitles) -> None:
        self.transcript.set_branch_titles(message.titles)

    # Changes to threads ----------------------------------------------------------------------

    def refresh_thread(
        self, thread_id: uuid.UUID, note: str = "", reload_list: bool = True
    ) -> None:
        """Read the thread's row and totals again (bar and list follow)."""
        self._rereads += 1
        self._reread_thread(thread_id, note, reload_list, self._rereads)

    @work(thread=True, exit_on_error=False, group="chat-refresh")
    def _reread_thread(
        self, thread_id: uuid.UUID, note: str, reload_list: bool, order: int
    ) -> None:
        thread = self.services.chat.get_thread(thread_id)
        totals = self.services.chat.totals(thread_id)
        self.post_message(ThreadChanged(thread, totals, note, reload_list, order))

    @on(ThreadChanged)
    def _thread_changed(self, message: ThreadChanged) -> None:
        if message.note:
            self.notify(message.note)
        thread_id = message.thread.id
        if message.order and message.order < self._shown_reread.get(thread_id, 0):
            # Read before a newer re-read already shown (a send's start, then its tool round).
            if message.reload_list:
                self.reload_threads()
            return
        if message.order:
            self._shown_reread[thread_id] = message.order
        if self.thread is not None and thread_id == self.thread.id:
            self.thread = message.thread
            self.totals = message.totals or self.totals
            self.show_bar(self.thread, self.totals)
        self.threads.replace(message.thread, self.now())
        if message.reload_list:
            self.reload_threads()
        self.refresh_bindings()

    @on(ThreadGone)
    def _thread_gone(self, message: ThreadGone) -> None:
        self.notify(message.note)
        if self.thread is not None and self.thread.id == message.thread_id:
            self.switch_draft(None)
            self.thread = None
            self.totals = None
            self.reads["open"].supersede()  # a read of it still on its way stays unshown
            self._show_draft()
        self.reload_threads()

    # Reveal ----------------------------------------------------------------------------------

    def reveal(self, target: JumpTarget) -> None:
        """Open a thread (from the palette), at message ``seq`` when a search hit gives one."""
        if target.kind == "thread":
            self.reveal_thread(target.id)

    def reveal_thread(self, thread_id: uuid.UUID, seq: int | None = None) -> None:
        if not self._opened_once:
            self._pending_reveal = (thread_id, seq)  # after the list's first load
            return
        self.open_thread(thread_id, seq)


def _scope_for(project: ProjectInfo | None) -> Scope:
    if project is None:
        return Scope()
    return Scope(False, project.id, project.name)
