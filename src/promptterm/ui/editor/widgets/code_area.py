"""CodeArea: a TextArea that stays responsive in big files.

Same constructor and API as Textual's `TextArea` (use `CodeArea.code_editor(...)` where
`TextArea.code_editor(...)` would go). What changes is the cost of a keystroke, which in
the stock widget grows with the file (figures in benchmarks/editor_typing.py):

- highlighting: the stock widget queries the whole syntax tree after every edit; here
  only the rows on screen (plus a margin) are queried or lexed, on demand, cached per row
  (code_highlight.py), and tree-sitter re-parses incrementally from an in-memory buffer,
  once per batch of edits (code_document.py);
- bookkeeping: document width, wrapped height and the row maps are kept per edit instead
  of recomputed over every line (code_document.py, code_wrap.py), and drawing a line no
  longer joins the whole text to test for the placeholder;
- bracket matching scans with a regex and stops `BRACKET_SEARCH_LINES` away.

`language` also accepts any Pygments alias (e.g. "c", "ruby", "docker"): languages without
a tree-sitter grammar here are highlighted from Pygments tokens mapped to the theme's
syntax styles. `languages.detect_language` picks the value for a file.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable

from textual import log
from textual._tree_sitter import get_language
from textual.document._document import Location
from textual.document._document_navigator import DocumentNavigator
from textual.document._syntax_aware_document import SyntaxAwareDocumentError
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import LanguageDoesNotExist

from promptterm.ui.editor.widgets.code_brackets import BRACKET_SEARCH_LINES as BRACKET_SEARCH_LINES
from promptterm.ui.editor.widgets.code_brackets import matching_bracket
from promptterm.ui.editor.widgets.code_document import CodeDocument, CodeSyntaxDocument
from promptterm.ui.editor.widgets.code_highlight import (
    HighlightMap,
    NoHighlights,
    TreeSitterHighlights,
    compiled_query,
)
from promptterm.ui.editor.widgets.code_pygments import PygmentsHighlights
from promptterm.ui.editor.widgets.code_wrap import CodeWrappedDocument
from promptterm.ui.editor.widgets.languages import pygments_lexer

SETTLE_SLICE_MICROS = 8_000
"""The longest stretch of deferred parsing between two events: half a frame."""

_UNPAINTED = object()


class CodeArea(TextArea):
    """A TextArea whose keystroke cost does not grow with the file; see the module doc."""

    _highlights: HighlightMap  # type: ignore[assignment]
    _document_built = False
    _skip_language_watch = False
    _built_language: str | None = None
    _style_generation = 0
    _painted: dict[int, object] | None = None
    _painted_frame: tuple[object, ...] | None = None
    _full_repaint_pending = False
    _settle_scheduled = False

    @property
    def highlighter(self) -> HighlightMap:
        """Where highlights come from (falsy for plain text)."""
        return self._highlights

    @property
    def is_highlighted(self) -> bool:
        """True when the current language is highlighted (tree-sitter or Pygments)."""
        return bool(self._highlights)

    # --- Document construction

    def _set_document(self, text: str, language: str | None) -> None:
        document, highlights, query = self._build_document(text, language)
        self._highlight_query = query
        self.document = document
        self.wrapped_document = CodeWrappedDocument(document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        highlights.defer = True
        self._highlights = highlights
        self._line_cache.clear()
        # TextArea.__init__ builds the document, then assigns `language`, whose watcher
        # would build it all again; skip that one repeat.
        self._skip_language_watch = not self._document_built
        self._document_built = True
        self._built_language = language
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def _build_document(
        self, text: str, language: str | None
    ) -> tuple[CodeDocument | CodeSyntaxDocument, HighlightMap, object]:
        if not language:
            return CodeDocument(text), NoHighlights(), None
        registered = self._languages.get(language)
        if registered is not None:
            ts_language = registered.language or get_language(language)
            query_text = registered.highlight_query
        else:
            ts_language = get_language(language)
            query_text = self._get_builtin_highlight_query(language) if ts_language else ""
        if ts_language is not None:
            try:
                syntax_document = CodeSyntaxDocument(text, ts_language)
            except (SyntaxAwareDocumentError, ValueError) as error:
                log.warning(f"Parsing disabled for {language!r}: {error}")
                return CodeDocument(text), NoHighlights(), None
            query = compiled_query(ts_language, query_text)
            return syntax_document, TreeSitterHighlights(syntax_document, query), query
        lexer = pygments_lexer(language)
        if lexer is not None:
            document = CodeDocument(text)
            return document, PygmentsHighlights(document, lexer), None
        raise LanguageDoesNotExist(
            f"{language!r} is neither a tree-sitter language available here nor a Pygments "
            "lexer alias."
        )

    def _watch_language(self, language: str | None) -> None:
        skip = self._skip_language_watch and language == self._built_language
        self._skip_language_watch = False
        if not skip:
            self._set_document(self.document.text, language)

    def _build_highlight_map(self) -> None:
        # TextArea calls this after every edit, undo and redo. Highlights are per row, on
        # demand, and notice edits by the document's revision; rendered lines are keyed by
        # their content (see `_line_key`). What remains is the deferred parse / re-lex.
        self._schedule_settle()

    # --- Deferred highlighting
    #
    # A keystroke is drawn with provisional highlights (see code_highlight.py); the parse
    # or re-lex it calls for runs right after that frame, once for however many edits
    # arrived meanwhile, and the rows whose highlights changed are repainted.

    def _schedule_settle(self) -> None:
        if self._settle_scheduled or self._highlights.settled:
            return
        if not self.is_mounted:
            self._highlights.settle(None)
            return
        self._settle_scheduled = True
        self.call_after_refresh(self._settle_highlights)

    def _settle_highlights(self) -> None:
        self._settle_scheduled = False
        if self._highlights.settled:
            return
        if self._highlights.settle(SETTLE_SLICE_MICROS):
            self.refresh()
        else:
            # More to do: carry on once the events that arrived meanwhile are handled.
            self._schedule_settle()

    def settle_highlights(self) -> None:
        """Finish any deferred highlighting now (tests, benchmarks, before a snapshot)."""
        self._highlights.settle(None)
        self.refresh()

    def _prepare_highlights(self) -> None:
        if not self._highlights:
            return
        info = self.wrapped_document._offset_to_line_info
        if info:
            top = min(self.scroll_offset.y, len(info) - 1)
            bottom = min(top + self.size.height, len(info)) - 1
            self._highlights.prepare(info[top][0], info[max(top, bottom)][0])

    # --- Rendering

    def line_style_state(self) -> Hashable:
        """What extra styling added by a subclass's `get_line` depends on (default: None).

        Drawn lines are cached by their content and the state listed in `_line_key`; a
        subclass that styles lines from state of its own (search matches, say) returns that
        state here so cached lines, and partial repaints, follow it.
        """
        return None

    def notify_style_update(self) -> None:
        self._style_generation += 1
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._prepare_highlights()
        if self._full_repaint_pending:
            self._resolve_full_repaint()
        strips = super().render_lines(crop)
        self._record_painted(crop)
        return strips

    def render_line(self, y: int) -> Strip:
        document = self.document
        if self.placeholder and document.line_count == 1 and not document[0]:
            return super().render_line(y)
        cache_key = (self._line_key(self.scroll_offset.y + y), self._render_globals())
        cached = self._line_cache.get(cache_key)
        if cached is not None:
            return cached
        line = self._render_line(y)
        self._line_cache[cache_key] = line
        return line

    def _render_globals(self) -> tuple[object, ...]:
        """What every drawn line depends on (TextArea.render_line's cache key, less the
        row, the selection and the cursor, which `_line_key` covers per line)."""
        soft_wrap = self.soft_wrap
        # _render_line pads each line to this width (it crops to the virtual width, which
        # a line never exceeds, so that width itself does not matter).
        base_width = (
            self.scrollable_content_region.width
            if soft_wrap
            else max(self.virtual_size.width, self.region.width)
        )
        return (
            self.scroll_offset.x,
            self.size,
            base_width,
            self.gutter_width,
            self.line_number_start,
            self.indent_width,
            self.theme,
            self.match_cursor_bracket,
            soft_wrap,
            self.show_line_numbers,
            self.read_only,
            self.show_cursor,
            self.highlight_cursor_line,
            self.line_style_state(),
        )

    # --- Partial repaints
    #
    # Any change to the selection (every keystroke) makes TextArea refresh the whole widget,
    # and a whole-widget refresh makes Textual drop the widget's rendered-row cache, so
    # every visible row goes through CSS rendering again and is sent to the terminal. Here
    # a whole-widget refresh is only noted; when the compositor collects the widget's
    # dirty regions (or asks for its lines, whichever comes first) it is narrowed to the
    # rows whose `_line_key` differs from what was last drawn there, provided nothing that
    # affects every row (`_frame_key`) changed meanwhile; otherwise it is a full repaint.

    def _set_dirty(self, *regions: Region) -> None:
        if regions:
            super()._set_dirty(*regions)
            return
        if not self._painted:
            self._full_repaint_pending = False
            super()._set_dirty()
            return
        outer = self.outer_size.region
        self._dirty_regions.clear()
        self._repaint_regions.clear()
        self._dirty_regions.add(outer)
        if outer:
            self._repaint_regions.add(outer)
        self._full_repaint_pending = True

    def _exchange_repaint_regions(self) -> Collection[Region]:
        regions = super()._exchange_repaint_regions()
        if not self._full_repaint_pending:
            return regions
        rows = self._resolve_full_repaint()
        if rows is None:
            return regions
        whole = self.outer_size.region
        return [
            *(region for region in regions if region != whole),
            *(Region(0, row, whole.width, 1) for row in rows),
        ]

    def _resolve_full_repaint(self) -> list[int] | None:
        """Mark the changed rows dirty (widget rows returned), or all (None returned)."""
        self._full_repaint_pending = False
        self._prepare_highlights()
        styles_cache = self._styles_cache
        painted = self._painted
        if not painted or self._painted_frame != self._frame_key():
            styles_cache.clear()
            styles_cache.set_dirty(self.size.region)
            return None
        top = self.content_region.y - self.region.y
        scroll_y = self.scroll_offset.y
        width = self.outer_size.width
        rows = [
            top + row
            for row in range(self.content_region.height)
            if painted.get(row, _UNPAINTED) != self._line_key(scroll_y + row)
        ]
        if rows:  # (set_dirty() with no regions clears everything)
            styles_cache.set_dirty(*(Region(0, row, width, 1) for row in rows))
        return rows

    def _frame_key(self) -> tuple[object, ...]:
        """What every drawn row, with its border and padding, depends on."""
        document = self.document
        styles = self.styles
        return (
            self._style_generation,
            self._render_globals(),
            self.scroll_offset.y,
            self.outer_size,
            self.content_region,
            self.rich_style,
            self.background_colors,
            styles.border,
            styles.padding,
            styles.opacity,
            styles.tint,
            self._border_title,
            self._border_subtitle,
            self.has_focus,
            self.app.theme,
            bool(self.placeholder) and document.line_count == 1 and not document[0],
        )

    def _record_painted(self, crop: Region) -> None:
        frame = self._frame_key()
        if frame != self._painted_frame:
            self._painted = {}
            self._painted_frame = frame
        painted = self._painted
        assert painted is not None
        top = self.content_region.y - self.region.y
        height = self.content_region.height
        scroll_y = self.scroll_offset.y
        for widget_row in crop.line_range:
            row = widget_row - top
            if 0 <= row < height:
                painted[row] = self._line_key(scroll_y + row)

    def _line_key(self, row: int) -> tuple[object, ...] | None:
        """What the drawn row depends on: its line's text, highlights, and the cursor,
        selection and bracket state when they touch it.

        TextArea keys its line cache by screen row and drops the cache on every edit, so
        each keystroke redraws every visible line; keyed by content, only the lines an edit
        changed are drawn again (and a scroll reuses the lines still on screen).
        """
        info = self.wrapped_document._offset_to_line_info
        if row >= len(info):
            return None
        line_index, section = info[row]
        selection = self.selection
        touched = selection.contains_line(line_index)
        bracket = self._matching_bracket_location
        return (
            line_index,
            section,
            self.document[line_index],
            tuple(self._highlights[line_index]) if self._highlights else (),
            (selection, self._draw_cursor, self.has_focus, self.suggestion) if touched else None,
            bracket if bracket is not None and (touched or bracket[0] == line_index) else None,
        )

    # --- Bracket matching

    def find_matching_bracket(self, bracket: str, search_from: Location) -> Location | None:
        """As TextArea's, but a regex scan per line, within BRACKET_SEARCH_LINES lines."""
        return matching_bracket(self.document.lines, bracket, search_from)
