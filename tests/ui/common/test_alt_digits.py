"""alt+digit as tmux, xterm and SSH send it (ESC, then the digit) reaches the app as
alt+digit, through Textual's own input parser; a typed £ stays a £."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from promptterm.ui.common.alt_digits import read_alt_digits_as_alt


def keys(data: str) -> list[str]:
    parser = XTermParser()
    tokens = [*parser.feed(data), *parser.feed("")]  # "" is the end: a lone ESC is sent
    return [token.key for token in tokens if isinstance(token, events.Key)]


@pytest.mark.parametrize("digit", "123456")
def test_escape_and_a_digit_is_alt_and_the_digit(digit: str) -> None:
    read_alt_digits_as_alt()
    assert keys(f"\x1b{digit}") == [f"alt+{digit}"]


def test_characters_typed_as_such_are_still_text() -> None:
    read_alt_digits_as_alt()
    assert keys("£¡1") == ["pound_sign", "inverted_exclamation_mark", "1"]
    assert keys("\x1b1x") == ["alt+1", "x"]  # typing on straight after it
    assert keys("\x1bx") == ["alt+x"]  # as for letters, which Textual always read so
