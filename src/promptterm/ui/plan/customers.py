"""Plan: Customers. The project's customer profiles ranked by their total score (the scoring
view), the highlighted one's overview, background, problems and scores beside them; ``a``
adds, ``e`` edits, ``s`` selects (at most one per project: a second is refused by name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.plan import CustomerProfile
from promptterm.services.validation import strip_controls
from promptterm.ui.plan.pane import PlanPane

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.ui.common.dialogs.fields import Field

TEXTS = (("overview", "Overview"), ("background", "Background"), ("problems", "Problems"))


class CustomersPane(PlanPane):
    HELP_TITLE = "Plan: Customers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a", "add_profile", "Add", id="plan-customer-add", tooltip="Add a customer profile"
        ),
        Binding("e", "edit_profile", "Edit", id="plan-customer-edit", tooltip="Edit the profile"),
        Binding(
            "s",
            "toggle_selected",
            "Select",
            id="plan-customer-select",
            tooltip="Make it the project's selected profile, or unselect it",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="plan-customers")
        self.profiles: list[CustomerProfile] = []
        self.can_edit = True

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(id="customers-list")
            with VerticalScroll(id="customer-detail"):
                yield Static("", id="customer-text")

    def focus_first(self) -> None:
        self.query_one("#customers-list", OptionList).focus()

    @property
    def current(self) -> CustomerProfile | None:
        index = self.query_one("#customers-list", OptionList).highlighted
        if index is None or not self.profiles or index >= len(self.profiles):
            return None
        return self.profiles[index]

    def reload(self, focus: object = None) -> None:
        project = self.project
        if project is None:
            return

        def read(s: Services) -> tuple[list[CustomerProfile], bool]:
            return s.customers.ranked(project.id), s.prd.get(project.id).can_edit

        self.read_service(read, lambda answer: self._listed(*answer, focus=focus))

    def _listed(self, profiles: list[CustomerProfile], can_edit: bool, focus: object) -> None:
        self.profiles, self.can_edit = profiles, can_edit
        listing = self.query_one("#customers-list", OptionList)
        before = self.current.id if focus is None and self.current else focus
        listing.clear_options()
        width = max((len(f"{p.total:g}") for p in profiles), default=1)
        for rank, p in enumerate(profiles, 1):
            mark = "● " if p.is_selected else "  "
            listing.add_option(
                Option(
                    Content.assemble(
                        (mark, "$success"),
                        (f"{rank}. ", "$text-muted"),
                        (f"{p.total:>{width}g}  ", "bold"),
                        strip_controls(p.name),
                    )
                )
            )
        if not profiles:
            listing.add_option(
                Option("No customer profiles yet: press a to add one.", disabled=True)
            )
        index = next((n for n, p in enumerate(profiles) if p.id == before), 0 if profiles else None)
        listing.highlighted = index
        self._detail()

    @on(OptionList.OptionHighlighted, "#customers-list")
    def _detail(self) -> None:
        p = self.current
        text = self.query_one("#customer-text", Static)
        if p is None:
            text.update("Ranked by total score. a adds a profile.")
            return
        parts: list[str | tuple[str, str]] = [(strip_controls(p.name), "bold")]
        if p.is_selected:
            parts.append(("  selected for this project", "$success"))
        for field, title in TEXTS:
            body = "\n".join(strip_controls(line) for line in getattr(p, field).split("\n"))
            parts += ["\n\n", (title, "bold underline"), "\n", body or "—"]
        parts += ["\n\n", ("Scoring", "bold underline"), f"  total {p.total:g}\n"]
        for criterion, score in sorted(p.scoring.items(), key=lambda kv: -kv[1]):
            bar = "█" * round(score) + "·" * (10 - round(score))
            parts.append(f"{criterion[:20]:<20} {bar} {score:g}\n")
        if not p.scoring:
            parts.append('none yet (e, then e.g. {"budget": 7, "urgency": 9})')
        text.update(Content.assemble(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_profile", "edit_profile", "toggle_selected") and not self.can_edit:
            return False
        if action in ("edit_profile", "toggle_selected"):
            return self.current is not None
        return True

    def action_add_profile(self) -> None:
        self._form(None)

    def action_edit_profile(self) -> None:
        if self.current is not None:
            self._form(self.current)

    def _form(self, profile: CustomerProfile | None) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        project = self.project
        if project is None:
            return
        services = self.services

        def save(values: dict[str, str]) -> CustomerProfile:
            fields = {k: v for k, v in values.items() if k != "name"}
            if profile is None:
                return services.customers.add(project.id, values["name"], **fields)
            return services.customers.update(profile.id, name=values["name"], **fields)

        def saved(result: CustomerProfile | None) -> None:
            if result is not None:
                self.app.notify(f"Saved the customer profile {result.name!r}.")
                self.reload(result.id)

        title = "New customer profile" if profile is None else f"Edit {profile.name}"
        label = "Create" if profile is None else "Save"
        form = FormScreen(title, profile_fields(profile), save, submit_label=label, wide=True)
        self.app.push_screen(form, saved)

    def action_toggle_selected(self) -> None:
        p = self.current
        if p is None:
            return
        verb = "unselect" if p.is_selected else "select"

        def toggled(result: CustomerProfile) -> None:
            words = "is now the selected" if result.is_selected else "is no longer the selected"
            self.app.notify(f"{result.name!r} {words} customer profile.")
            self.reload(result.id)

        self.run_service(
            lambda s: getattr(s.customers, verb)(p.id), toggled, failed="Not changed: "
        )


def profile_fields(p: CustomerProfile | None) -> list[Field]:
    import json

    from promptterm.services.plan.doc_rules import LIMITS
    from promptterm.ui.common.dialogs.fields import Field

    fields = [Field("name", "Name", p.name if p else "", placeholder="up to 200 characters")]
    for name, title in TEXTS:
        fields.append(
            Field(name, title, getattr(p, name) if p else "", multiline=True,
                  limit=LIMITS["profile_field"])
        )  # fmt: skip
    scores = json.dumps(p.scoring) if p and p.scoring else ""
    fields.append(Field("scoring", "Scoring", scores, placeholder='{"budget": 7, "urgency": 9}'))
    return fields
