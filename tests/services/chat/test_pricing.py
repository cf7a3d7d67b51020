"""Cost per call: user overrides, local = 0, then the price table (genai-prices by default,
bundled and read offline; unknown = unpriced, None, never 0).

Only the tests marked ``genai_prices`` read genai-prices' table, and they check what our
adapter does with it, not upstream's figures (which move between its releases)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import genai_prices
import pytest

from promptterm.services.chat.pricing import PricingService
from promptterm.services.errors import ValidationError
from support.prices import PINNED_PRICES

M = 1_000_000
AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)  # the call's time: prices are picked by date
CENT_FRACTION = Decimal("0.000001")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network during pricing fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pricing tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def quote(pricing: PricingService, **kwargs: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "provider": "openai",
        "kind": "openai-compatible",
        "base_url": "https://api.openai.com/v1",
        "model": "gpt-4o",
        "tokens_in": M,
        "tokens_out": M,
    }
    values.update(kwargs)
    return pricing.quote(**values)  # type: ignore[arg-type]


def upstream(model: str, tokens_in: int, tokens_out: int, **where: str):  # type: ignore[no-untyped-def]
    """genai-prices' own price for the call at AT (the figures the adapter must pass on)."""
    usage = genai_prices.Usage(input_tokens=tokens_in, output_tokens=tokens_out)
    return genai_prices.calc_price(usage, model, genai_request_timestamp=AT, **where).model_price  # type: ignore[call-overload]


def cost(tokens_in: int, per_in: Decimal, tokens_out: int, per_out: Decimal) -> Decimal:
    return ((tokens_in * per_in + tokens_out * per_out) / M).quantize(CENT_FRACTION)


# -- the genai-prices adapter ---------------------------------------------------------------


@pytest.mark.genai_prices
def test_a_known_model_is_priced_from_the_bundled_table() -> None:
    pricing = PricingService(overrides={})
    q = quote(pricing, tokens_in=1200, tokens_out=300, at=AT)
    price = upstream("gpt-4o", 1200, 300, provider_api_url="https://api.openai.com/v1")
    assert q.source == "genai-prices"
    assert q.version == f"genai-prices {genai_prices.__version__} (bundled data)"
    assert pricing.sources().table == q.version  # what the billing screen names
    assert (q.input_per_mtok, q.output_per_mtok) == (price.input_mtok, price.output_mtok)
    assert q.input_per_mtok > 0 and q.output_per_mtok > 0
    assert q.cost_usd == cost(1200, price.input_mtok, 300, price.output_mtok)


@pytest.mark.genai_prices
def test_anthropic_behind_a_proxy_url_is_still_priced_as_anthropic() -> None:
    q = quote(
        PricingService(overrides={}),
        provider="claude",
        kind="anthropic",
        base_url="https://llm-gateway.example.com",
        model="claude-3-5-haiku-latest",
        tokens_in=M,
        tokens_out=0,
        at=AT,
    )
    price = upstream("claude-3-5-haiku-latest", M, 0, provider_id="anthropic")
    assert q.source == "genai-prices" and price.input_mtok > 0
    assert q.cost_usd == cost(M, price.input_mtok, 0, price.output_mtok)


@pytest.mark.genai_prices
def test_an_unknown_model_is_unpriced_never_zero() -> None:
    pricing = PricingService(overrides={})
    for kwargs in (
        {"model": "my-finetune-xyz"},
        {"base_url": "https://vllm.internal.example.com/v1", "model": "gpt-4o"},
    ):
        q = quote(pricing, at=AT, **kwargs)
        assert (q.cost_usd, q.source, q.priced) == (None, "unpriced", False)


# -- the price table is injected ------------------------------------------------------------


def test_an_injected_table_prices_what_it_knows_and_names_itself() -> None:
    pricing = PricingService(overrides={}, table=PINNED_PRICES)
    q = quote(pricing, model="gpt-4o-mini", tokens_in=2_000_000, tokens_out=500_000)
    assert (q.source, q.version, q.cost_usd) == ("pinned", "pinned test prices", Decimal("0.6"))
    assert (q.input_per_mtok, q.output_per_mtok) == (Decimal("0.15"), Decimal("0.6"))
    assert quote(pricing, model="gpt-5-turbo-next").source == "unpriced"  # not in the table
    assert pricing.sources().table == "pinned test prices"


@pytest.mark.parametrize(
    "base_url", ["http://localhost:11434/v1", "http://127.0.0.1:8080/v1", "http://[::1]:1234/v1"]
)
def test_a_local_server_costs_nothing(base_url: str) -> None:
    pricing = PricingService(overrides={}, table=PINNED_PRICES)
    q = quote(pricing, base_url=base_url, model="llama3.2")
    assert (q.cost_usd, q.source) == (Decimal(0), "local")


def test_overrides_win_exact_model_first_then_the_wildcard() -> None:
    pricing = PricingService(
        table=PINNED_PRICES,
        overrides={
            "openai/gpt-4o": {"input_per_mtok": 1, "output_per_mtok": 2},
            "ollama/*": {"input_per_mtok": "0.1", "output_per_mtok": 0.2},
        },
    )
    q = quote(pricing)
    assert (q.source, q.cost_usd, q.version) == (
        "override",
        Decimal("3.000000"),
        "config [prices.'openai/gpt-4o']",
    )
    local = quote(pricing, provider="ollama", base_url="http://localhost:11434/v1", model="x")
    assert (local.source, local.cost_usd) == ("override", Decimal("0.300000"))


def test_overrides_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config"  # PROMPTTERM_CONFIG_DIR in every test
    config.mkdir()
    (config / "config.toml").write_text(
        '[prices."openai/gpt-4o"]\ninput_per_mtok = 5\noutput_per_mtok = 15\n', encoding="utf-8"
    )
    q = quote(PricingService(table=PINNED_PRICES), tokens_in=M // 2, tokens_out=0)
    assert (q.source, q.cost_usd) == ("override", Decimal("2.500000"))


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"gpt-4o": {"input_per_mtok": 1, "output_per_mtok": 1}}, "provider/model"),
        ({"openai/gpt-4o": {"input_per_mtok": 1}}, "needs output_per_mtok"),
        ({"openai/gpt-4o": {"input_per_mtok": -1, "output_per_mtok": 1}}, "cannot be negative"),
    ],
)
def test_a_bad_override_is_a_clear_error(overrides: dict, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        quote(PricingService(overrides=overrides, table=PINNED_PRICES))
