"""YAML for library files: safe loading of untrusted text, readable dumping for git.

Only ``yaml.safe_load``-equivalent loading is used (libyaml's CSafeLoader when present). Its
composer recurses in C, so a few kilobytes of ``[[[[`` crash the interpreter; the event scan
below refuses deep nesting (and anchors, which our files never need) before composing.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32
MAX_EVENTS = 500_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NESTING_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_NESTING_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class FormatError(Exception):
    """A library file that cannot be read as what it claims to be; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_yaml(text: str, first_line: int = 1) -> Any:
    """The data in ``text``, or FormatError. Never anything else, whatever ``text`` holds.
    ``first_line`` is the file's line number of the text's first line, for messages."""
    if "\x00" in text:
        raise FormatError("The file contains NUL bytes; it is not a text file.")
    depth = events = 0
    # Every failure of hostile input is turned into one message; which exception a broken
    # document raises (YAMLError, ValueError from a bad date, OverflowError...) varies.
    try:
        for event in yaml.parse(text, Loader=_Loader):
            events += 1
            if isinstance(event, _NESTING_START):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FormatError(f"The YAML is nested more than {MAX_DEPTH} levels deep.")
            elif isinstance(event, _NESTING_END):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                raise FormatError("YAML anchors and aliases (&name, *name) are not supported.")
            if events > MAX_EVENTS:
                raise FormatError("The YAML has too many entries to be a library file.")
        return yaml.load(text, Loader=_Loader)  # CSafeLoader: a safe loader
    except FormatError:
        raise
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            # libyaml (0.2.6+) refuses very deep nesting itself while scanning ahead, before
            # the scan above has seen 32 levels: the same refusal, so the same words.
            raise FormatError(f"The YAML is nested more than {MAX_DEPTH} levels deep.") from exc
        mark = exc.problem_mark
        where = f" (line {mark.line + first_line})" if mark else ""
        raise FormatError(f"Not valid YAML{where}: {exc.problem or exc}.") from exc
    except Exception as exc:  # see above: any failure here is the file's fault
        raise FormatError(f"Not valid YAML: {type(exc).__name__}.") from exc


# libyaml's emitter when present: several times faster than the pure-Python one.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block reads (and diffs) like the text itself; the emitter
    # falls back to a quoted style where a block cannot hold the string exactly. YAML reads
    # CR, NEL and the Unicode separators as line breaks and folds them in plain and single-
    # quoted text, so only a double-quoted string (which escapes them) keeps them.
    if any(mark in value for mark in _OTHER_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
