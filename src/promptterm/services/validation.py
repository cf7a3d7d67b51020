"""Small checks shared by the services, each raising a ValidationError that names the field."""

from __future__ import annotations

import re
import unicodedata

from promptterm.services.errors import ValidationError

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def clean_text(value: str | None, field: str, *, label: str, min_len: int, max_len: int) -> str:
    """Strip surrounding blanks and check the length in characters."""
    text = (value or "").strip()
    if len(text) < min_len:
        if min_len == 1:
            raise ValidationError(f"{label} is required.", field)
        raise ValidationError(f"{label} needs at least {min_len} characters.", field)
    if len(text) > max_len:
        raise ValidationError(
            f"{label} is {len(text)} characters; the most allowed is {max_len}.", field
        )
    return text


def clean_name(value: str | None, field: str, *, label: str, max_len: int, min_len: int = 1) -> str:
    """A name (of a workspace, project, file, thread, component, preset, prompt, folder,
    key...): ``clean_text`` that also refuses control characters, so no name can carry a
    terminal escape (ESC, BEL, a line break) into a list or a screen."""
    return plain(
        clean_text(value, field, label=label, min_len=min_len, max_len=max_len), field, label
    )


def plain(text: str, field: str, label: str) -> str:
    """``text`` if it holds no control character; ValidationError naming the first one."""
    for at, char in enumerate(text):
        if is_control(char):
            raise ValidationError(
                f"{label} contains a control character ({_named(char)} at position {at + 1}); "
                "names are plain text on one line: remove it and try again.",
                field,
            )
    return text


def is_control(char: str) -> bool:
    """C0 and C1 controls and DEL (category Cc), and the Unicode line and paragraph
    separators: what a terminal may act on instead of showing."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def strip_controls(text: str) -> str:
    """``text`` without control characters (for names made from outside text, such as a
    thread title taken from its first message)."""
    return "".join(c for c in text if not is_control(c))


_CONTROL_NAMES = {
    "\x1b": "ESC",
    "\x07": "BEL",
    "\n": "a line break",
    "\r": "a carriage return",
    "\t": "a tab",
    "\x7f": "DEL",
    "\x08": "backspace",
}


def _named(char: str) -> str:
    return _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")


def optional_text(value: str | None, field: str, *, label: str, max_len: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > max_len:
        raise ValidationError(
            f"{label} is {len(text)} characters; the most allowed is {max_len}.", field
        )
    return text


def slugify(name: str) -> str:
    """'My Project: v2!' -> 'my-project-v2'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:64].strip("-")


def check_slug(slug: str, field: str = "slug") -> str:
    if not SLUG_RE.match(slug):
        raise ValidationError(
            f"The slug {slug!r} is not valid: use 1-64 lower-case letters, digits and dashes, "
            "starting and ending with a letter or digit.",
            field,
        )
    return slug


def choice(value: str, field: str, *, label: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValidationError(f"{label} must be one of {', '.join(options)}; got {value!r}.", field)
    return value


def clean_tags(tags: list[str] | None, *, owner: str = "A component") -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags or []:
        tag = tag.strip().lower()
        if not tag:
            continue
        if len(tag) > 50:
            raise ValidationError(f"The tag {tag[:20]!r}... is over 50 characters.", "tags")
        plain(tag, "tags", "A tag")
        seen.setdefault(tag, None)
    if len(seen) > 20:
        raise ValidationError(f"{owner} can have at most 20 tags.", "tags")
    return list(seen)


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape="\\"``: % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
