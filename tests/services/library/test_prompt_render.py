"""Property tests of prompt rendering: values go in verbatim, number bounds hold exactly, and
no input makes it fail with anything but a ValidationError.

These exercise the pure functions of prompt_render (no database); test_prompts.py covers
rendering through the service on both databases.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from promptterm.services.errors import ValidationError
from promptterm.services.library.prompt_render import (
    PLACEHOLDER_RE,
    VariableSpec,
    check_spec,
    coerce,
    resolve_values,
    spec_from_config,
    substitute,
)

# A busy machine can take longer than Hypothesis' default 200 ms over one example;
# the number of examples stays the default.
NO_DEADLINE = settings(deadline=None)

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
# Text rich in the characters that matter here: braces, names, line breaks.
TRICKY_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from("{} xy_\n\\$&%1"), st.characters()), max_size=40
)
PLACEHOLDERY = st.lists(
    st.one_of(TRICKY_TEXT, NAMES.map(lambda n: "{{" + n + "}}"), st.just("{{ x }}")),
    max_size=6,
).map("".join)
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    # Within what json.loads accepts (Python refuses to print ints over 4300 digits).
    st.integers(min_value=-(10**1000), max_value=10**1000),
    st.floats(),
    TRICKY_TEXT,
    st.lists(st.integers(), max_size=3),
)
BOUND = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
)


def _must_be_string_or_validation_error(call: Any) -> None:
    try:
        result = call()
    except ValidationError as err:
        assert err.message  # every refusal says something a person can read
        return
    assert isinstance(result, (str, dict, VariableSpec))


# Values are never expanded again -----------------------------------------------------------


@NO_DEADLINE
@given(value=PLACEHOLDERY)
@example(value="{{x}}")
@example(value="{{ y }} and {{x}}")
@example(value="\\1 \\g<0>")
def test_a_value_is_inserted_verbatim(value: str) -> None:
    values = {"x": value, "y": "WHY"}
    assert substitute("<{{x}}>", values) == f"<{value}>"
    assert substitute("{{ x }}|{{y}}", values) == f"{value}|WHY"


@NO_DEADLINE
@given(value=PLACEHOLDERY, other=PLACEHOLDERY)
def test_resolved_values_render_verbatim(value: str, other: str) -> None:
    specs = [VariableSpec("body", "multiline"), VariableSpec("other", "multiline")]
    given_values = {"body": value, "other": other}
    resolved = resolve_values(specs, given_values)
    rendered = substitute("[{{body}}][{{other}}]", resolved)
    assert rendered == f"[{value}][{other}]"


@NO_DEADLINE
@given(template=TRICKY_TEXT.filter(lambda t: PLACEHOLDER_RE.search(t) is None))
def test_text_without_placeholders_is_unchanged(template: str) -> None:
    assert substitute(template, {}) == template


@NO_DEADLINE
@given(name=NAMES, before=TRICKY_TEXT, after=TRICKY_TEXT)
def test_an_unknown_placeholder_is_an_error_naming_it(name: str, before: str, after: str) -> None:
    template = before + "{{" + name + "}}" + after
    known = {m.group(1) for m in PLACEHOLDER_RE.finditer(template)} - {name}
    with pytest.raises(ValidationError) as err:
        substitute(template, dict.fromkeys(known, "v"))
    # The first unknown placeholder is named; ours is unknown, so one is always named.
    assert err.value.field is not None
    assert "{{" + str(err.value.field) + "}}" in err.value.message


# Number bounds -----------------------------------------------------------------------------


@st.composite
def bounds_and_inside(draw: st.DrawFn) -> tuple[float | int, float | int, float | int]:
    # -0.0 == 0, so sorting may leave (0, -0.0): hypothesis sees no floats "between" them.
    lo, hi = sorted(v if v != 0 else 0 for v in (draw(BOUND), draw(BOUND)))
    value = draw(
        st.one_of(
            st.sampled_from([lo, hi]),
            st.floats(min_value=lo, max_value=hi, allow_nan=False),
            st.integers(min_value=math.ceil(lo), max_value=math.floor(hi))
            if math.ceil(lo) <= math.floor(hi)
            else st.just(lo),
        )
    )
    return lo, hi, value


@NO_DEADLINE
@given(case=bounds_and_inside(), as_text=st.booleans())
def test_numbers_within_min_and_max_are_always_accepted(
    case: tuple[float, float, float], as_text: bool
) -> None:
    lo, hi, value = case
    spec = VariableSpec("n", "number", min=lo, max=hi)
    text = coerce(spec, str(value) if as_text else value)
    assert float(text) == float(value)


@NO_DEADLINE
@given(lo=BOUND, hi=BOUND, data=st.data())
def test_numbers_outside_min_and_max_are_always_refused(
    lo: float, hi: float, data: st.DataObject
) -> None:
    lo, hi = sorted([lo, hi])
    below = data.draw(st.floats(max_value=lo, exclude_max=True, allow_nan=False, min_value=-1e300))
    above = data.draw(st.floats(min_value=hi, exclude_min=True, allow_nan=False, max_value=1e300))
    spec = VariableSpec("n", "number", min=lo, max=hi)
    for value in (below, above, str(below), str(above)):
        assume(float(value) < lo or float(value) > hi)
        with pytest.raises(ValidationError) as err:
            coerce(spec, value)
        assert err.value.field == "n"


@NO_DEADLINE
@given(value=st.one_of(st.just(float("nan")), st.just(float("inf")), st.just("-inf"), st.just("")))
def test_non_finite_numbers_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError, match="n must be a number"):
        coerce(VariableSpec("n", "number"), value)


# Nothing crashes ---------------------------------------------------------------------------


@NO_DEADLINE
@given(
    kind=st.sampled_from(["text", "multiline", "number", "boolean", "choice", "colour"]),
    raw=ANY_VALUE,
    choices=st.lists(TRICKY_TEXT, max_size=3),
    lo=st.one_of(st.none(), BOUND),
    hi=st.one_of(st.none(), BOUND),
)
# json.loads gives ints this big (up to 4300 digits); float() of one overflows.
@example(kind="number", raw=10**400, choices=[], lo=None, hi=None)
@example(kind="number", raw="1e400", choices=[], lo=None, hi=None)
def test_coerce_returns_text_or_a_validation_error(
    kind: str, raw: Any, choices: list[str], lo: float | None, hi: float | None
) -> None:
    spec = VariableSpec("v", kind, choices=tuple(choices), min=lo, max=hi)
    _must_be_string_or_validation_error(lambda: coerce(spec, raw))


@NO_DEADLINE
@given(
    name=st.one_of(NAMES, TRICKY_TEXT),
    kind=st.sampled_from(["text", "multiline", "number", "boolean", "choice"]),
    config=st.fixed_dictionaries(
        {},
        optional={
            "required": st.booleans(),
            "default": ANY_VALUE,
            "choices": st.lists(TRICKY_TEXT, max_size=3),
            "min": BOUND,
            "max": BOUND,
        },
    ),
)
def test_check_spec_accepts_or_refuses_cleanly(
    name: str, kind: str, config: dict[str, Any]
) -> None:
    _must_be_string_or_validation_error(lambda: check_spec(spec_from_config(name, kind, config)))


@NO_DEADLINE
@given(
    template=PLACEHOLDERY,
    values=st.dictionaries(st.one_of(NAMES, st.just("x")), ANY_VALUE, max_size=4),
    kinds=st.lists(
        st.sampled_from(["text", "multiline", "number", "boolean"]), min_size=1, max_size=3
    ),
    required=st.booleans(),
)
def test_resolve_and_substitute_return_text_or_a_validation_error(
    template: str, values: dict[str, Any], kinds: list[str], required: bool
) -> None:
    specs = [VariableSpec(n, k, required=required) for n, k in zip("xyz", kinds, strict=False)]

    def render() -> str:
        return substitute(template, resolve_values(specs, values))

    _must_be_string_or_validation_error(render)


@pytest.mark.parametrize("name", ["abc\n", "1abc", "a-b", "", "x" * 65])
def test_a_variable_name_with_a_trailing_newline_or_bad_character_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="not a usable variable name"):
        check_spec(VariableSpec(name=name, type="text"))
