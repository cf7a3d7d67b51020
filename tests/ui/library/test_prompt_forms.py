"""The prompt forms' text as the services take it: a boolean default is stored as a boolean
(as the CLI and imports store it) and shown as yes/no; numbers as numbers; the live check
names the field the service would refuse."""

from __future__ import annotations

import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.library.prompt_render import VariableSpec
from promptterm.ui.library.prompt_forms import variable_checker, variable_config, variable_fields


def form_values(**given: str) -> dict[str, str]:
    values = dict.fromkeys(("label", "default", "choices", "min", "max"), "")
    values.update(type="text", required="no")
    values.update(given)
    return values


def test_a_boolean_default_is_stored_as_a_boolean_and_shown_as_yes_or_no() -> None:
    assert variable_config(form_values(type="boolean", default="Yes"))["default"] is True
    assert variable_config(form_values(type="boolean", default="no"))["default"] is False
    fields = {
        f.name: f.value for f in variable_fields(VariableSpec("code", "boolean", default=False))
    }
    assert fields["default"] == "no"


def test_numbers_are_numbers_and_a_bad_one_is_named_at_its_field() -> None:
    config = variable_config(form_values(type="number", default="600", min="100", max="2.5e3"))
    assert (config["default"], config["min"], config["max"]) == (600, 100.0, 2500.0)
    with pytest.raises(ValidationError) as refused:
        variable_config(form_values(type="number", max="lots"))
    assert refused.value.field == "max"


def test_the_live_check_names_the_default_when_it_no_longer_fits() -> None:
    check = variable_checker("words")
    with pytest.raises(ValidationError) as refused:
        check(form_values(type="number", default="600", max="500"))
    assert refused.value.field == "default"
    assert "at most 500" in refused.value.message
