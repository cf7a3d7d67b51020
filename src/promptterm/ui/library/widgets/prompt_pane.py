"""The selected prompt: its modules in order, the form for its variables, and the rendered
text with its token count (or the reason it cannot be rendered, naming the variable)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from promptterm.ui.library.widgets.prompts import ModuleList
from promptterm.ui.library.widgets.sheet import plural
from promptterm.ui.library.widgets.variables import VariablesForm

if TYPE_CHECKING:
    from promptterm.services.library.prompts import FolderInfo, PromptInfo


class RenderedText(Static, can_focus=True):
    """The rendered prompt. Focusable, so tab brings it into view: the pane itself is not
    (keys scroll whatever has the focus), and a long prompt needs reading to its end."""


SECTIONS = ("#modules-heading", "#prompt-modules", "#vars-heading", "#prompt-vars")


class PromptPane(VerticalScroll, can_focus=False):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.prompt: PromptInfo | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="prompt-title")
        yield Static(
            Content.assemble(
                ("Modules", "bold underline"),
                ("  K/J move · a add · o options · h history", "dim"),
            ),
            id="modules-heading",
            classes="pane-heading",
        )
        yield ModuleList(id="prompt-modules")
        yield Static(
            Content.assemble(
                ("Variables", "bold underline"), ("  * required · v add · V edit", "dim")
            ),
            id="vars-heading",
            classes="pane-heading",
        )
        yield VariablesForm(id="prompt-vars")
        yield Static(id="preview-heading", classes="pane-heading")
        yield RenderedText(id="prompt-preview")

    def on_mount(self) -> None:
        self.border_title = "Prompt"
        self.show_text("Loading…")

    def _sections(self, shown: bool) -> None:
        for selector in (*SECTIONS, "#preview-heading", "#prompt-preview"):
            self.query_one(selector).display = shown

    def show_text(self, text: str) -> None:
        self.prompt = None
        self._sections(False)
        self.query_one("#prompt-title", Static).update(Content.styled(text, "dim italic"))

    def show_folder(self, folder: FolderInfo, prompts: int) -> None:
        self.prompt = None
        self._sections(False)
        self.query_one("#prompt-title", Static).update(
            Content.assemble(
                (folder.name, "bold $accent"),
                ("\nfolder · " + plural(prompts, "prompt"), "dim"),
                (
                    "\n\nn adds a prompt here · d moves the folder and its prompts to the trash",
                    "dim italic",
                ),
            )
        )

    async def show_prompt(self, prompt: PromptInfo) -> None:
        """Show ``prompt``; the variables form is rebuilt only when they changed, so what
        the user typed survives a module being moved or hidden."""
        same_vars = self.prompt is not None and (
            self.prompt.id == prompt.id and self.prompt.variables == prompt.variables
        )
        self.prompt = prompt
        self._sections(True)
        subtitle = prompt.description or "prompt"
        filed = [prompt.category] if prompt.category else []
        filed += [f"#{tag}" for tag in prompt.tags]
        if prompt.usage_count:
            filed.append(f"used {plural(prompt.usage_count, 'time')}")
        shown = f"\n{' · '.join(filed)}" if filed else ""
        # Content, not markup: category and tags are text people typed.
        self.query_one("#prompt-title", Static).update(
            Content.assemble(
                (prompt.name, "bold $accent"), (f"\n{subtitle}", "dim"), (shown, "dim italic")
            )
        )
        modules = self.query_one(ModuleList)
        modules.show(prompt.modules)
        form = self.query_one(VariablesForm)
        if not same_vars:
            await form.build(prompt.variables)

    def show_rendered(self, text: str, tokens: int) -> None:
        self.query_one("#preview-heading", Static).update(
            Content.assemble(
                ("Preview", "bold underline"),
                (f"  ≈ {tokens:,} tokens · y copy · c send to chat", "dim"),
            )
        )
        shown = text if text.strip() else "(nothing to render: every module is hidden or empty)"
        self.query_one("#prompt-preview", Static).update(
            Content(shown) if text.strip() else Content.styled(shown, "dim italic")
        )
        self.query_one("#prompt-preview").remove_class("-refused")

    def show_refused(self, message: str) -> None:
        self.query_one("#preview-heading", Static).update(
            Content.assemble(("Preview", "bold underline"), ("  not rendered", "dim"))
        )
        preview = self.query_one("#prompt-preview", Static)
        preview.update(Content.styled(f"⚠ {message}", "$error"))
        preview.add_class("-refused")
