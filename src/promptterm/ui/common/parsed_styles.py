"""One parse of each stylesheet per theme, for the whole session.

Textual parses every stylesheet again whenever one is added: the first time an area or a
dialog is shown (its ``CSS_PATH``), twice over, into a fresh stylesheet with an empty cache.
With a dozen files and every widget's default CSS that was a fifth of an area's first frame.
The rules a source parses to depend only on its text, where it was read from and the theme's
variables, so they are kept under exactly that and parsed once."""

from __future__ import annotations

from typing import ClassVar

from textual.cache import LRUCache
from textual.css.model import RuleSet, SelectorType
from textual.css.stylesheet import CSSLocation, Stylesheet

# Each area and dialog file, every widget's default CSS, for a few themes the user tries.
KEPT = 1024


class ParsedOnceStylesheet(Stylesheet):
    _parsed: ClassVar[LRUCache[tuple[object, ...], list[RuleSet]]] = LRUCache(KEPT)

    _theme: tuple[tuple[str, str], ...] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme = None

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
        rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._parsed[key] = rules
        return rules

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
