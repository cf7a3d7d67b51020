"""Builds a pane's text: a title, label/value rows, headings and plain lines."""

from __future__ import annotations

from textual.content import Content

from promptterm.services.words import plural as plural

LABEL_WIDTH = 10


class Sheet:
    def __init__(self) -> None:
        self.parts: list[Content] = []

    def title(self, text: str, subtitle: str) -> None:
        self.parts.append(Content.assemble((text, "bold $accent"), "\n", (subtitle, "dim")))
        self.blank()

    def row(self, label: str, value: str | Content | None, style: str = "") -> None:
        if value:
            shown = value if isinstance(value, Content) else Content.styled(value, style)
            self.parts.append(Content.assemble((f"{label:<{LABEL_WIDTH}}", "bold"), shown))

    def heading(self, text: str, note: str = "") -> None:
        self.blank()
        self.parts.append(Content.assemble((text, "bold underline"), (note, "dim")))

    def line(self, text: str, style: str = "") -> None:
        self.parts.append(Content.styled(text, style) if style else Content(text))

    def keys(self, text: str) -> None:
        self.blank()
        self.line(text, "dim italic")

    def blank(self) -> None:
        self.parts.append(Content(""))

    def build(self) -> Content:
        return Content("\n").join(self.parts)
