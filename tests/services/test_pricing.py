"""Cost per call: the bundled price table (offline), user overrides, local = 0, unknown =
unpriced (None, never 0)."""

from __future__ import annotations

import socket
from decimal import Decimal
from pathlib import Path

import genai_prices
import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.pricing import PricingService

M = 1_000_000


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


def test_a_known_model_is_priced_from_the_bundled_table() -> None:
    q = quote(PricingService(overrides={}))
    assert q.source == "genai-prices"
    assert q.version == f"genai-prices {genai_prices.__version__} (bundled data)"
    assert q.input_per_mtok == Decimal("2.5") and q.output_per_mtok == Decimal("10")
    assert q.cost_usd == Decimal("12.500000")
    small = quote(PricingService(overrides={}), tokens_in=1200, tokens_out=300)
    assert small.cost_usd == Decimal("0.006000")  # 1200 * 2.5e-6 + 300 * 1e-5


def test_anthropic_behind_a_proxy_url_is_still_priced_as_anthropic() -> None:
    q = quote(
        PricingService(overrides={}),
        provider="claude",
        kind="anthropic",
        base_url="https://llm-gateway.example.com",
        model="claude-3-5-haiku-latest",
        tokens_in=M,
        tokens_out=0,
    )
    assert (q.source, q.cost_usd) == ("genai-prices", Decimal("0.800000"))


def test_an_unknown_model_is_unpriced_never_zero() -> None:
    pricing = PricingService(overrides={})
    for kwargs in (
        {"model": "my-finetune-xyz"},
        {"base_url": "https://vllm.internal.example.com/v1", "model": "gpt-4o"},
    ):
        q = quote(pricing, **kwargs)
        assert (q.cost_usd, q.source, q.priced) == (None, "unpriced", False)


@pytest.mark.parametrize(
    "base_url", ["http://localhost:11434/v1", "http://127.0.0.1:8080/v1", "http://[::1]:1234/v1"]
)
def test_a_local_server_costs_nothing(base_url: str) -> None:
    q = quote(PricingService(overrides={}), base_url=base_url, model="llama3.2")
    assert (q.cost_usd, q.source) == (Decimal(0), "local")


def test_overrides_win_exact_model_first_then_the_wildcard() -> None:
    pricing = PricingService(
        overrides={
            "openai/gpt-4o": {"input_per_mtok": 1, "output_per_mtok": 2},
            "ollama/*": {"input_per_mtok": "0.1", "output_per_mtok": 0.2},
        }
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
    q = quote(PricingService(), tokens_in=M // 2, tokens_out=0)
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
        quote(PricingService(overrides=overrides))
