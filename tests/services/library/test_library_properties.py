"""Property-based tests: variable rendering, the library file formats, and the import parsers
on hostile input (which may only ever answer with a FormatError or a report entry)."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from promptterm.services.library.components import check_content, check_description, check_name
from promptterm.services.library.formats.documents import (
    ComponentDoc,
    ModuleDoc,
    OptionDoc,
    PromptDoc,
    component_from_markdown,
    component_to_markdown,
    preset_from_yaml,
    prompt_from_yaml,
    prompt_to_yaml,
)
from promptterm.services.library.formats.foreign import fabric_pattern, llm_template
from promptterm.services.library.formats.yaml_text import FormatError, load_yaml
from promptterm.services.library.prompt_render import VariableSpec, resolve_values, substitute
from promptterm.services.validation import clean_tags

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True)
# Any character a database can store: no NUL, no lone surrogates.
STORABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
# Names: no control characters either (the services refuse them, issue 12).
PLAIN = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


# Variable rendering -----------------------------------------------------------------------


@st.composite
def spec_and_value(draw: st.DrawFn) -> tuple[VariableSpec, Any, str]:
    """A variable, a value its rules accept, and the text that value must render as."""
    name, kind = (
        draw(NAMES),
        draw(st.sampled_from(["text", "multiline", "number", "boolean", "choice"])),
    )
    if kind in ("text", "multiline"):
        alphabet = STORABLE.filter(lambda c: c != "\n") if kind == "text" else STORABLE
        value = draw(st.text(alphabet, min_size=1, max_size=40))
        low = draw(st.none() | st.integers(0, len(value)))
        high = draw(st.none() | st.integers(len(value), 60))
        return VariableSpec(name, kind, min=low, max=high), value, value
    if kind == "number":
        low, high = sorted((draw(FINITE), draw(FINITE)))
        number: float | int = draw(st.floats(min_value=low, max_value=high))
        if math.ceil(low) <= math.floor(high) and draw(st.booleans()):
            number = draw(st.integers(math.ceil(low), math.floor(high)))
        bounds = {
            "min": draw(st.sampled_from([low, None])),
            "max": draw(st.sampled_from([high, None])),
        }
        spec = VariableSpec(name, kind, **bounds)
        raw = draw(st.sampled_from([number, str(number)]))
        return spec, raw, f"{float(number)!r}"  # compared as numbers below
    if kind == "boolean":
        truth = draw(st.booleans())
        words = (
            ["true", "yes", "Y", " On ", "1", True]
            if truth
            else ["false", "NO", "n", "off", "0", False]
        )
        return VariableSpec(name, kind), draw(st.sampled_from(words)), "true" if truth else "false"
    choices = draw(
        st.lists(st.text(STORABLE, min_size=1, max_size=10), min_size=1, max_size=6, unique=True)
    )
    value = draw(st.sampled_from(choices))
    return VariableSpec(name, kind, choices=tuple(choices)), value, value


@given(spec_and_value())
def test_any_value_within_the_declared_type_and_range_renders(
    case: tuple[VariableSpec, Any, str],
) -> None:
    spec, value, expected = case
    rendered = substitute(f"<{{{{ {spec.name} }}}}>", resolve_values([spec], {spec.name: value}))
    assert rendered.startswith("<") and rendered.endswith(">")
    inner = rendered[1:-1]
    if spec.type == "number":
        assert float(inner) == float(expected)
        if isinstance(value, int) or float(value).is_integer():
            assert "." not in inner and "e" not in inner  # whole numbers print as integers
    else:
        # Rendered exactly as typed: braces in a value are not placeholders.
        assert inner == expected


@given(
    st.lists(st.tuples(NAMES, st.booleans()), min_size=1, max_size=8, unique_by=lambda t: t[0]),
    st.data(),
)
def test_missing_required_variables_are_named_in_order(
    declared: list[tuple[str, bool]], data: st.DataObject
) -> None:
    specs = [VariableSpec(name, "text", required=required) for name, required in declared]
    filled = data.draw(st.sets(st.sampled_from([n for n, _ in declared])))
    values = {name: "v" for name in filled}
    missing = [s.name for s in specs if s.required and s.name not in filled]
    if not missing:
        resolved = resolve_values(specs, values)
        assert {k for k, v in resolved.items() if v} == filled
        return
    with pytest.raises(ValidationError) as err:
        resolve_values(specs, values)
    assert err.value.message.endswith(": " + ", ".join(missing) + ".")
    assert err.value.field == missing[0]


# The file formats round-trip anything the services can store --------------------------------


def _clean(text: str) -> str:
    return text.strip()


@given(
    kind=st.sampled_from(["role", "style", "context", "mode"]),
    # Names and tags as the services take them: a control character in either is refused,
    # and drawn from STORABLE most examples were, which Hypothesis reports as a failure.
    name=st.text(PLAIN, min_size=1, max_size=100),
    content=st.text(STORABLE, min_size=1, max_size=400),
    description=st.none() | st.text(STORABLE, max_size=100),
    tags=st.lists(st.text(PLAIN, min_size=1, max_size=12), max_size=5),
)
def test_a_component_file_reads_back_as_written(
    kind: str, name: str, content: str, description: str | None, tags: list[str]
) -> None:
    try:  # whatever the service would store, cleaned as it would clean it
        doc = ComponentDoc(
            kind,
            check_name(name),
            check_content(content),
            check_description(description),
            tuple(clean_tags(tags)),
        )
    except ValidationError:
        assume(False)
        return
    text = component_to_markdown(doc)
    assert component_from_markdown(text, default_name="x", folder_type=kind) == doc


@st.composite
def prompt_docs(draw: st.DrawFn) -> PromptDoc:
    words = st.text(STORABLE, min_size=1, max_size=30).map(_clean).filter(bool)
    names_ = st.text(PLAIN, min_size=1, max_size=30).map(_clean).filter(bool)
    modules = []
    for _ in range(draw(st.integers(1, 3))):
        count = draw(st.integers(1, 3))
        default = draw(st.integers(0, count - 1))
        options = tuple(
            OptionDoc(draw(st.text(PLAIN, max_size=10).map(_clean)), draw(words), i == default)
            for i in range(count)
        )
        modules.append(ModuleDoc(draw(names_), draw(st.booleans()), options))
    names = draw(st.lists(NAMES, max_size=4, unique=True))
    variables = []
    for name in names:
        kind = draw(st.sampled_from(["text", "multiline", "number", "boolean", "choice"]))
        if kind == "choice":
            choices = tuple(draw(st.lists(words, min_size=1, max_size=3, unique=True)))
            variables.append(
                VariableSpec(
                    name, kind, required=draw(st.booleans()), choices=choices, default=choices[0]
                )
            )
        elif kind == "number":
            variables.append(
                VariableSpec(
                    name,
                    kind,
                    default=draw(st.integers(0, 9)),
                    min=0,
                    max=9,
                    label=draw(st.none() | words),
                )
            )
        else:
            variables.append(VariableSpec(name, kind, required=draw(st.booleans())))
    return PromptDoc(
        name=draw(names_),
        folder=draw(st.none() | names_),
        description=draw(st.none() | words),
        variables=tuple(variables),
        modules=tuple(modules),
    )


@given(prompt_docs())
def test_a_prompt_file_reads_back_as_written(doc: PromptDoc) -> None:
    assert prompt_from_yaml(prompt_to_yaml(doc)) == doc


# Hostile input: only FormatError, whatever the bytes ----------------------------------------

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | FINITE | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "name",
    "type",
    "description",
    "tags",
    "role",
    "style",
    "context",
    "mode",
    "missing",
    "folder",
    "variables",
    "modules",
    "options",
    "content",
    "default",
    "visible",
    "required",
    "choices",
    "min",
    "max",
    "label",
    "system",
    "prompt",
    "defaults",
]
plausible = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=30,
)
hostile_texts = (
    st.text()
    | st.binary().map(lambda b: b.decode("utf-8", "replace"))
    | yaml_values.map(yaml.safe_dump)
    | plausible.map(yaml.safe_dump)
    | plausible.map(lambda v: "---\n" + yaml.safe_dump(v) + "---\nbody")
    | st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)
    | st.integers(1, 500).map(lambda n: "- " * n + "x")
)

PARSERS = {
    "component": lambda t: component_from_markdown(t, default_name="f", folder_type="role"),
    "component-no-type": lambda t: component_from_markdown(t, default_name="f"),
    "preset": preset_from_yaml,
    "prompt": prompt_from_yaml,
    "llm": lambda t: llm_template("t", t),
    "fabric": lambda t: fabric_pattern("p", t, t[::-1]),
    "yaml": load_yaml,
}


@pytest.mark.parametrize("parser", sorted(PARSERS))
@settings(max_examples=150, deadline=None)
@given(text=hostile_texts)
def test_parsers_answer_hostile_text_with_a_format_error_only(parser: str, text: str) -> None:
    try:
        PARSERS[parser](text)
    except FormatError as exc:
        assert exc.message and isinstance(exc.message, str)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.dictionaries(
        st.sampled_from(
            [
                "components/role/a.md",
                "components/style/b.md",
                "components/c.md",
                "presets/p.yaml",
                "prompts/x.yaml",
                "prompts/f/y.yml",
                "promptterm-library.yaml",
                "pattern/system.md",
                "pattern/user.md",
                "t.yaml",
            ]
        ),
        hostile_texts.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=300),
        min_size=1,
    ),
    fabric=st.booleans(),
    llm=st.booleans(),
    replace=st.booleans(),
)
def test_import_of_a_hostile_folder_only_reports(
    services: Services, files: dict[str, bytes], fabric: bool, llm: bool, replace: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        report = services.library_io.import_from(
            root, fabric=fabric, llm=llm, on_conflict="replace" if replace else "skip"
        )
    assert report.summary
    for error in report.errors:
        assert error.path and error.message
