"""The editor's find and replace: the find bar's searches and replacements in the open file
(the matching itself is widgets/find.py)."""

from __future__ import annotations

from textual import on
from textual.widgets.text_area import Selection

from promptterm.ui.editor.ai.actions import EditorAi
from promptterm.ui.editor.widgets import find
from promptterm.ui.editor.widgets.find_bar import FindBar


class EditorFind(EditorAi):
    @property
    def find_bar(self) -> FindBar:
        return self.query_one("#editor-find", FindBar)

    # Find and replace ------------------------------------------------------------------------

    def _open_find(self, replace: bool) -> None:
        code = self.code_of(self.active)
        if code is None:
            return
        selected = code.selected_text
        self.find_bar.open(replace=replace, query=selected if "\n" not in selected else "")
        self.refresh_bindings()

    def action_find(self) -> None:
        self._open_find(False)

    def action_replace(self) -> None:
        self._open_find(True)

    def action_find_next(self) -> None:
        self._search(self.find_bar.query, forward=True)

    def action_find_previous(self) -> None:
        self._search(self.find_bar.query, forward=False)

    def action_replace_all(self) -> None:
        self._replace(self.find_bar.query, self.find_bar.replacement, every=True)

    @on(FindBar.Search)
    def _search_requested(self, message: FindBar.Search) -> None:
        self._search(message.query, forward=message.forward)

    @on(FindBar.Replace)
    def _replace_requested(self, message: FindBar.Replace) -> None:
        self._replace(message.query, message.replacement, every=message.every)

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.focus_active()
        self.refresh_bindings()

    def _search(self, query: str, *, forward: bool) -> None:
        code = self.code_of(self.active)
        if code is None or not query:
            if not query:
                self.action_find()
            return
        start, end = code.selection
        begin, finish = sorted((start, end))
        doc = code.document
        match = find.find_next(
            doc.line_count, doc.get_line, query, finish if forward else begin, forward=forward
        )
        if match is None:
            self.find_bar.set_status("no match")
            return
        code.selection = Selection(*match)
        code.scroll_cursor_visible(center=True)
        total = find.count_matches(code.text, query)
        number = find.match_index(doc.line_count, doc.get_line, query, match[0])
        self.find_bar.set_status(f"{number} of {total}")

    def _replace(self, query: str, replacement: str, *, every: bool) -> None:
        code = self.code_of(self.active)
        if code is None or not query or code.read_only:
            return
        if every:
            text, count = find.replace_all(code.text, query, replacement)
            if count:
                code.replace(text, (0, 0), code.document.end)
            self.find_bar.set_status(f"replaced {count}")
            return
        start, end = sorted(code.selection)
        if find.is_match(code.get_text_range(start, end), query):
            code.replace(replacement, start, end)
            code.selection = Selection.cursor((start[0], start[1] + len(replacement)))
        self._search(query, forward=True)
