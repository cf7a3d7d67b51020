"""A refusal met on the lean path (db/lean.py), such as a name that is not there, is said by
the services as ever and reaches the activity log with the command it came from, as the
same refusal does when the services answer from the start."""

from __future__ import annotations

import json

import pytest

from promptterm.db import lean
from promptterm.services.facade import Services
from support.cli_in_process import run


@pytest.mark.parametrize(
    ("argv", "said", "action"),
    [
        (("preset", "show", "Nope"), "You have no preset named 'Nope'.", "show"),
        (
            ("component", "show", "Nope", "--type", "role"),
            "You have no role component named 'Nope'.",
            "show",
        ),
    ],
    ids=["preset show", "component show"],
)
def test_a_refused_lean_read_is_said_and_logged(
    capsys: pytest.CaptureFixture[str],
    url: str,
    argv: tuple[str, ...],
    said: str,
    action: str,
) -> None:
    services = Services.open(url)  # the local user and their subscription: a lean start
    try:
        role = services.components.create("role", "Expert", "You are an expert.")
        services.presets.create("Full", role=role.id)
    finally:
        services.close()
    with lean.open_lean(url) as read:
        assert read is not None  # the lean read is the one asked first
    code, out, err = run(capsys, url, *argv)
    assert (code, out, err) == (1, "", f"promptterm: {said}\n")
    _, logged, _ = run(capsys, url, "log", "list", "--kind", "error", "--json")
    entries = json.loads(logged)
    assert [(e["error_type"], e["message"]) for e in entries] == [("NotFound", said)]
    _, shown, _ = run(capsys, url, "log", "show", entries[0]["id"], "--json")
    assert json.loads(shown)["context"] == {"area": f"cli {argv[0]}", "action": action}
