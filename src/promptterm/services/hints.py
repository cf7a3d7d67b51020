"""How a service's message tells a person to do the next thing.

The facts are the service's ("the Free plan allows 5 presets"); the way to act on them
belongs to whoever shows the message: the CLI names a command, the TUI a key. Each service
context carries one ``Hints``; the CLI's commands are the default and the TUI installs its
own keys when it takes the services (ui/common/session.py). Each hint is a phrase a message
builds a sentence around; ``say`` fills in its names (unused ones are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hints:
    # "Upgrade {upgrade}, or delete some you no longer use."
    upgrade: str = "with `promptterm billing plan set {plan}`"
    # "… the month ends 2026-02-01). {raise_budget}."
    raise_budget: str = (
        "Raise the cap with `promptterm billing budget set {flag} {value}` "
        "or press b on the billing screen (key 5)"
    )
    # "No provider is set up yet. {add_provider}."
    add_provider: str = (
        "Add one, e.g. `promptterm provider add local --kind openai-compatible "
        "--base-url http://localhost:11434/v1 --model llama3.2`"
    )
    # "Add it {add_key}." / "add one {add_key}, or set $OPENAI_API_KEY."
    add_key: str = "with `promptterm key add {provider}{options} --stdin`"
    # "You have no provider named 'x': {list_providers}."
    list_providers: str = "see `promptterm provider list`"
    # "The model is unknown. {list_models}."
    list_models: str = "See the models it offers: `promptterm provider models {provider}`"

    # "Provider 'x' has no default model: {test_model}."
    test_model: str = "name one with --model"

    def say(self, hint: str, /, **values: object) -> str:
        template: str = getattr(self, hint)
        return template.format(**values)


# The default: the words of the command line.
CLI_HINTS = Hints()
