"""One parse of each stylesheet per theme, for the whole session.

Textual parses every stylesheet again whenever one is added: the first time an area or a
dialog is shown (its ``CSS_PATH``), twice over, into a fresh stylesheet with an empty cache.
With a dozen files and every widget's default CSS that was a fifth of an area's first frame.
The rules a source parses to depend only on its text, where it was read from and the theme's
variables, so they are kept under exactly that and parsed once.

The rules an area will need can be parsed ahead, in a thread (``parse_ahead``): its first
open then finds them here. Parsing is a pure function of the key, so rules parsed in a
thread are the ones the UI thread would have made."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import ClassVar, NamedTuple

from textual.cache import LRUCache
from textual.css.model import RuleSet, SelectorType
from textual.css.stylesheet import CSSLocation, Stylesheet

# Each area and dialog file, every widget's default CSS, for a few themes the user tries.
KEPT = 1024


class Source(NamedTuple):
    """One stylesheet source, as ``Stylesheet.source`` holds it under its location."""

    css: str
    read_from: CSSLocation
    is_default: bool
    tie_breaker: int
    scope: str


class ParsedOnceStylesheet(Stylesheet):
    _parsed: ClassVar[LRUCache[tuple[object, ...], list[RuleSet]]] = LRUCache(KEPT)
    # The cache is filled ahead from a thread while the UI thread reads it, and even a read
    # reorders its list: every look-up and store holds this (a parse itself does not).
    _parsed_lock: ClassVar[threading.Lock] = threading.Lock()

    _theme: tuple[tuple[str, str], ...] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme = None

    def theme_variables(self) -> dict[str, str]:
        """The theme's variables as they are now (a copy: a theme change replaces them)."""
        return dict(self._variables)

    def _theme_key(self) -> tuple[tuple[str, str], ...]:
        if self._theme is None:
            self._theme = tuple(sorted(self._variables.items()))
        return self._theme

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._theme_key())
        with self._parsed_lock:
            rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            with self._parsed_lock:
                self._parsed[key] = rules
        return rules

    def holds(self, source: Source) -> bool:
        """Whether ``source`` is parsed already, for this stylesheet's theme."""
        key = (*source, self._theme_key())
        with self._parsed_lock:
            return key in self._parsed

    @classmethod
    def parse_ahead(cls, variables: dict[str, str], sources: Iterable[Source]) -> int:
        """Parse ``sources`` for the theme ``variables`` into the cache, from any thread, one
        source at a time (the UI thread gets the interpreter between two); how many were
        new. A source that does not parse is left to the UI thread, which reports it."""
        sheet = cls(variables=variables)
        parsed = 0
        for source in sources:
            if sheet.holds(source):
                continue
            try:
                sheet._parse_rules(*source)
            except Exception:
                continue
            parsed += 1
            time.sleep(0)  # let the UI thread draw or read a key before the next one
        return parsed

    def reparse(self) -> None:
        # Textual's own, but the fresh stylesheet it parses into is one of these.
        fresh = ParsedOnceStylesheet(variables=self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(
                css,
                read_from=read_from,
                is_default_css=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    def only_inside(self, read_from: CSSLocation, type_name: str) -> bool:
        """Whether every rule of a source read applies only to a node of type ``type_name``
        and what is inside it (each rule nested under that type, as every area's file is)."""
        source = self.source.get(read_from)
        if source is None:
            return False
        css, is_defaults, tie_breaker, scope = source
        rules = self._parse_rules(css, read_from, is_defaults, tie_breaker, scope)
        return all(
            selectors.selectors
            and selectors.selectors[0].type == SelectorType.TYPE
            and selectors.selectors[0].name == type_name
            for rule in rules
            for selectors in rule.selector_set
        )
