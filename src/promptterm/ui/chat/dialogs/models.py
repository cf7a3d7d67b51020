"""Pick the provider and model of a thread: every provider entry with the models its endpoint
lists (asked in the background, one worker per entry), or a model name typed by hand for an
endpoint that lists none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.ui.common.errors import describe, report_failed_worker
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.chat.providers import ProviderInfo
    from promptterm.services.facade import Services

SEPARATOR = "\x1f"  # between entry name and model in an option id (neither can contain it)


@dataclass(frozen=True)
class ModelChoice:
    provider: str
    model: str


class ModelPickerScreen(ModalScreen[ModelChoice | None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="models-cancel"),
        Binding("f10", "providers", "Providers", id="models-providers"),
        Binding("slash", "type_model", "Type a model", id="models-type", show=False),
    ]

    @dataclass
    class EntriesLoaded(Message):
        entries: list[ProviderInfo]

    @dataclass
    class ModelsLoaded(Message):
        entry: str
        models: list[str]
        error: str | None

    def __init__(
        self, services: Services, *, provider: str | None, model: str | None, title: str
    ) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.current = (provider, model)
        self.dialog_title = title
        self.entries: list[ProviderInfo] = []
        self.models: dict[str, list[str] | None] = {}  # None: still asking
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield OptionList(id="models-options", compact=True)
            with Horizontal(id="models-custom-row"):
                yield Label("Model", classes="form-label")
                yield Input(
                    placeholder="or type a model name, enter", id="models-custom", compact=True
                )
            yield Static(
                "enter use · / type a model · f10 providers · esc cancel", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = self.dialog_title
        self.query_one(OptionList).focus()
        self._rebuild()
        self._load_entries()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    # Loading -------------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="models-entries")
    def _load_entries(self) -> None:
        self.post_message(self.EntriesLoaded(self.services.providers.list()))

    def on_model_picker_screen_entries_loaded(self, message: EntriesLoaded) -> None:
        self.entries = message.entries
        self.models = {e.name: None for e in message.entries}
        self.errors = {}
        self._rebuild()
        for entry in message.entries:
            self._load_models(entry.name)

    @work(thread=True, exit_on_error=False, group="models-list")
    def _load_models(self, name: str) -> None:
        try:
            models = [m.id for m in self.services.providers.models(name)]
        except Exception as exc:  # shown under the entry: a typed name still works
            self.post_message(self.ModelsLoaded(name, [], describe(exc)[1]))
        else:
            self.post_message(self.ModelsLoaded(name, models, None))

    def on_model_picker_screen_models_loaded(self, message: ModelsLoaded) -> None:
        if message.entry not in self.models:
            return
        self.models[message.entry] = message.models
        if message.error:
            self.errors[message.entry] = message.error
        self._rebuild()

    # The list --------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        items: list[Option] = []
        if not self.entries:
            text = "No provider yet. Press f10 to add one: a local server (Ollama, llama.cpp, "
            text += "vLLM, LM Studio) or an API (OpenAI, Anthropic, OpenRouter)."
            items.append(Option(Content.styled(text, "italic"), disabled=True))
        for entry in self.entries:
            where = entry.base_url.split("://", 1)[-1]
            head = Content.assemble((entry.name, "bold"), "  ", (f"{entry.kind} · {where}", "dim"))
            items.append(Option(head, disabled=True))
            listed = self.models.get(entry.name)
            names = list(listed or [])
            if entry.default_model and entry.default_model not in names:
                names.insert(0, entry.default_model)
            for name in names:
                items.append(Option(self._model_label(entry, name), id=_id(entry.name, name)))
            if listed is None:
                items.append(
                    Option(Content.styled("  asking for its models…", "dim"), disabled=True)
                )
            elif entry.name in self.errors:
                error = self.errors[entry.name]
                items.append(Option(Content.styled(f"  {error}", "$text-warning"), disabled=True))
        options.set_options(items)
        wanted = keep or (_id(*self.current) if all(self.current) else None)  # type: ignore[arg-type]
        index = next((i for i, o in enumerate(items) if o.id == wanted and o.id), None)
        if index is None:
            index = next((i for i, o in enumerate(items) if not o.disabled), None)
        if index is not None:
            options.highlighted = index

    def _model_label(self, entry: ProviderInfo, name: str) -> Content:
        marks = []
        if (entry.name, name) == self.current:
            marks.append("current")
        if name == entry.default_model:
            marks.append("default")
        suffix = f"  ({', '.join(marks)})" if marks else ""
        return Content.assemble("  ", name, (suffix, "dim"))

    def _highlighted_entry(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id:
            return option.id.split(SEPARATOR, 1)[0]
        if self.current[0]:
            return self.current[0]
        return self.entries[0].name if len(self.entries) == 1 else None

    # Choosing --------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#models-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            provider, model = event.option.id.split(SEPARATOR, 1)
            self.dismiss(ModelChoice(provider, model))

    def action_type_model(self) -> None:
        self.query_one("#models-custom", Input).focus()

    @on(Input.Submitted, "#models-custom")
    def _typed(self, event: Input.Submitted) -> None:
        model = event.value.strip()
        entry = self._highlighted_entry()
        if not model:
            return
        if entry is None:
            self.notify("Pick a provider first (move to one of its models).", severity="warning")
            return
        self.dismiss(ModelChoice(entry, model))

    def action_providers(self) -> None:
        from promptterm.ui.chat.dialogs.providers import ProvidersScreen

        self.app.push_screen(ProvidersScreen(self.services), lambda _: self._load_entries())

    def action_cancel(self) -> None:
        self.dismiss(None)


def _id(provider: str, model: str) -> str:
    return f"{provider}{SEPARATOR}{model}"
