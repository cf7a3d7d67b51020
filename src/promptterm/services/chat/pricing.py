"""What a call cost, in USD, and where the price came from.

In order: the user's override from the config file, then 0 for a server on this machine,
then the price table (by default ``genai-prices``: maintained upstream, bundled in the
wheel, read offline, its auto-update never started), else unpriced. An unknown model is
unpriced (None), never 0, so a bill never looks smaller than it is.

The table is injected (``PricingService(table=...)``): genai-prices' figures change between
its releases and it picks a price by the call's date, so the tests hand in a pinned table of
their own and only the adapter's tests read genai-prices.

Overrides, keyed by provider entry name and model (``*`` for every model of the entry):

    [prices."openai/gpt-4o"]
    input_per_mtok = 2.5     # USD per million tokens in
    output_per_mtok = 10.0

    [prices."work-vllm/*"]
    input_per_mtok = 0
    output_per_mtok = 0
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any, Protocol

from promptterm.services.errors import ValidationError

MILLION = Decimal(1_000_000)
_CENT_FRACTION = Decimal("0.000001")  # the precision of the cost_usd columns


@dataclass(frozen=True)
class PriceQuote:
    cost_usd: Decimal | None  # None: unpriced
    source: str  # "override", "local", the table's (e.g. "genai-prices") or "unpriced"
    version: str | None  # the table's, e.g. "genai-prices 0.2.3 (bundled data)"; or the override
    input_per_mtok: Decimal | None = None
    output_per_mtok: Decimal | None = None

    @property
    def priced(self) -> bool:
        return self.cost_usd is not None


@dataclass(frozen=True)
class PriceOverride:
    input_per_mtok: Decimal
    output_per_mtok: Decimal


@dataclass(frozen=True)
class PriceSources:
    """Where this installation's prices come from, for the billing screen and the CLI."""

    table: str  # e.g. "genai-prices 0.2.3 (bundled data)"
    overrides: tuple[str, ...]  # the "provider/model" keys of [prices] in the config file

    def source_for(self, provider: str, model: str) -> str:
        """ "override" when [prices] prices this model now, else "table" (or local, free)."""
        keys = (f"{provider}/{model}", f"{provider}/*")
        return "override" if any(key in self.overrides for key in keys) else "table"

    def describe(self) -> str:
        parts = [self.table]
        if self.overrides:
            parts.append("overrides in config: " + ", ".join(self.overrides))
        parts.append("servers on this machine cost 0; unknown models are unpriced")
        return "; ".join(parts)


class PriceTable(Protocol):
    """Prices of the models that no override names and that are not on this machine."""

    def version(self) -> str:
        """What the billing screen and the CLI name as the table, with its version."""
        ...

    def quote(
        self,
        *,
        kind: str,
        base_url: str,
        model: str,
        tokens_in: int,
        tokens_out: int,
        at: datetime | None,
    ) -> PriceQuote | None:
        """The cost of the call made at ``at``, or None when the table does not know the model."""
        ...


class PricingService:
    def __init__(
        self,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
        table: PriceTable | None = None,
    ) -> None:
        # None: read [prices] from the config file on first use.
        self._raw = overrides
        self._overrides: dict[str, PriceOverride] | None = None
        self.table: PriceTable = table if table is not None else GenaiPrices()

    def overrides(self) -> dict[str, PriceOverride]:
        if self._overrides is None:
            raw = self._raw if self._raw is not None else _config_prices()
            self._overrides = {key: _override(key, value) for key, value in raw.items()}
        return self._overrides

    def sources(self) -> PriceSources:
        """The price table's version and the config's overrides (ValidationError if bad)."""
        return PriceSources(self.table.version(), tuple(sorted(self.overrides())))

    def quote(
        self,
        *,
        provider: str,
        kind: str,
        base_url: str,
        model: str,
        tokens_in: int,
        tokens_out: int,
        at: datetime | None = None,
    ) -> PriceQuote:
        overrides = self.overrides()
        key = f"{provider}/{model}"
        for candidate in (key, f"{provider}/*"):
            if candidate in overrides:
                price = overrides[candidate]
                cost = cost_of(tokens_in, price.input_per_mtok, tokens_out, price.output_per_mtok)
                return PriceQuote(cost, "override", f"config [prices.{candidate!r}]", *_pair(price))
        from promptterm.links import is_local_url

        if is_local_url(base_url):
            return PriceQuote(
                Decimal(0).quantize(_CENT_FRACTION), "local", None, Decimal(0), Decimal(0)
            )
        quote = self.table.quote(
            kind=kind,
            base_url=base_url,
            model=model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            at=at,
        )
        return quote if quote is not None else PriceQuote(None, "unpriced", None)


@cache
def price_table_version() -> str:
    # From the package's metadata: importing genai_prices loads its whole table (0.3 s).
    from importlib.metadata import version

    return f"genai-prices {version('genai-prices')} (bundled data)"


class GenaiPrices:
    """The price table of the ``genai-prices`` package, read offline. Its figures change
    between releases and it picks a model's price by the call's date (today when ``at`` is
    None), so callers pass the call's time."""

    def version(self) -> str:
        return price_table_version()

    def quote(
        self,
        *,
        kind: str,
        base_url: str,
        model: str,
        tokens_in: int,
        tokens_out: int,
        at: datetime | None,
    ) -> PriceQuote | None:
        # Imported here: the table is large (about 0.2 s to load); only a finished call needs it.
        from genai_prices import Usage, calc_price

        usage = Usage(input_tokens=tokens_in, output_tokens=tokens_out)
        attempts: list[dict[str, str]] = [{"provider_api_url": base_url}]
        if kind == "anthropic":
            attempts.append({"provider_id": "anthropic"})  # Anthropic behind a proxy URL
        for where in attempts:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    calc = calc_price(usage, model, genai_request_timestamp=at, **where)  # type: ignore[call-overload]
            except LookupError:
                continue
            price = calc.model_price
            return PriceQuote(
                Decimal(calc.total_price).quantize(_CENT_FRACTION, ROUND_HALF_UP),
                "genai-prices",
                self.version(),
                _decimal_or_none(getattr(price, "input_mtok", None)),
                _decimal_or_none(getattr(price, "output_mtok", None)),
            )
        return None


def cost_of(tokens_in: int, per_in: Decimal, tokens_out: int, per_out: Decimal) -> Decimal:
    """USD for the tokens at prices per million, to the precision of the cost columns."""
    total = (Decimal(tokens_in) * per_in + Decimal(tokens_out) * per_out) / MILLION
    return total.quantize(_CENT_FRACTION, ROUND_HALF_UP)


def _pair(price: PriceOverride) -> tuple[Decimal, Decimal]:
    return price.input_per_mtok, price.output_per_mtok


def _decimal_or_none(value: object) -> Decimal | None:
    # Tiered prices (by context length) have no single figure per million.
    return value if isinstance(value, Decimal) else None


def _override(key: str, value: Any) -> PriceOverride:
    where = f'[prices."{key}"] in the config file'
    if "/" not in key or not isinstance(value, Mapping):
        raise ValidationError(
            f'{where}: use a table named "provider/model" (or "provider/*") holding '
            "input_per_mtok and output_per_mtok.",
            "prices",
        )
    prices = []
    for name in ("input_per_mtok", "output_per_mtok"):
        try:
            number = Decimal(str(value[name]))
        except (KeyError, InvalidOperation):
            raise ValidationError(
                f"{where} needs {name}, a number of USD per million tokens.", "prices"
            ) from None
        if number < 0 or not number.is_finite():
            raise ValidationError(f"{where}: {name} cannot be negative.", "prices")
        prices.append(number)
    return PriceOverride(*prices)


def _config_prices() -> dict[str, Any]:
    from promptterm.config import ConfigError, load_config_file

    try:
        prices = load_config_file().get("prices", {})
    except ConfigError as exc:
        raise ValidationError(str(exc), "config") from exc
    return prices if isinstance(prices, dict) else {}
