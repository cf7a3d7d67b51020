"""A price table that never moves, for every test but those of the genai-prices adapter.

genai-prices' figures change between its releases, and it picks a price by the call's date,
so a test priced by it could change with a `pip install` or with the calendar. The services
in tests price calls with PINNED_PRICES instead; the root conftest refuses genai-prices in
any test not marked ``genai_prices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from urllib.parse import urlsplit

from promptterm.services.chat.pricing import PriceQuote, PricingService, cost_of

# The providers' own API hosts, as genai-prices matches them by base URL.
_PROVIDER_BY_HOST = MappingProxyType({"api.openai.com": "openai", "api.anthropic.com": "anthropic"})


@dataclass(frozen=True)
class PinnedPriceTable:
    """USD per million tokens (in, out) by "provider/model"; the same figures on any date."""

    name: str
    prices: MappingProxyType[str, tuple[Decimal, Decimal]]

    def version(self) -> str:
        return self.name

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
        provider = _PROVIDER_BY_HOST.get(urlsplit(base_url).hostname or "")
        if provider is None and kind == "anthropic":
            provider = "anthropic"  # Anthropic behind a proxy URL, as the adapter does
        price = self.prices.get(f"{provider}/{model}")
        if price is None:
            return None
        per_in, per_out = price
        cost = cost_of(tokens_in, per_in, tokens_out, per_out)
        return PriceQuote(cost, "pinned", self.name, per_in, per_out)


PINNED_PRICES = PinnedPriceTable(
    "pinned test prices",
    MappingProxyType(
        {
            "openai/gpt-4o": (Decimal("2.5"), Decimal("10")),
            "openai/gpt-4o-mini": (Decimal("0.15"), Decimal("0.6")),
            "anthropic/claude-3-5-haiku-latest": (Decimal("0.8"), Decimal("4")),
        }
    ),
)


def pinned_pricing() -> PricingService:
    """The services' pricing in tests: PINNED_PRICES, and [prices] from the test's config."""
    return PricingService(table=PINNED_PRICES)
