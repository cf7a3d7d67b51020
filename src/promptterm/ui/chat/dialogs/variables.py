"""Values for ``{{name}}`` placeholders a send would carry unfilled: one input per name.
Enter sends with them (the thread remembers them); esc cancels the send, the draft stays."""

from __future__ import annotations

from promptterm.services.chat.variables import check_values
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen


def variables_form(names: list[str], known: dict[str, str]) -> FormScreen[dict[str, str]]:
    fields = [
        Field(name, "{{" + name + "}}", value=known.get(name, ""), placeholder="its value")
        for name in names
    ]
    noun = "has no value" if len(names) == 1 else "have no values"
    intro = (
        f"The preset's prompt or your message uses {', '.join(f.label for f in fields)}, "
        f"which {noun} yet. Fill them to send; this thread remembers them. esc: not now "
        "(your message stays in the box)."
    )
    return FormScreen(
        "Fill in before sending", fields, check_values, submit_label="Send", intro=intro
    )
