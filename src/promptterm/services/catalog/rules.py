"""What a listing, a review and a seller application may hold; each refusal names its field."""

from __future__ import annotations

import re

from promptterm.services.errors import ValidationError
from promptterm.services.validation import clean_name, clean_tags, optional_text, plain

# ISO 4217 codes people pay in; amounts are integers in the currency's minor unit.
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "KRW", "CAD", "AUD", "CHF", "SEK", "INR", "BRL")
ZERO_DECIMAL = ("JPY", "KRW")
# 1,000,000.00 in a two-decimal currency: above that a price is a typo, not a prompt.
MAX_PRICE = 100_000_000
MAX_TAGS = 10
MAX_IMAGES = 5
KINDS = ("component", "preset", "prompt")
PREVIEW_LINES = 3
_URL = re.compile(r"^https?://[^\s]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_source(kind: str, source: str) -> str:
    """The library item to publish, named: checked before the title, which defaults to it
    in the form (an empty item was refused as a missing title)."""
    name = (source or "").strip()
    if not name:
        raise ValidationError(
            f"Which library item? Give the {kind}'s name or id to publish.", "source"
        )
    return name


def check_title(title: str) -> str:
    return clean_name(title, "title", label="A title", max_len=100)


def check_description(text: str | None) -> str:
    return (optional_text(text, "description", label="A description", max_len=2000)) or ""


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.", "kind")
    return kind


def check_price(price: int, currency: str) -> tuple[int, str]:
    code = currency.strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(
            f"currency {currency!r} is not one we know; use one of {', '.join(CURRENCIES)}.",
            "currency",
        )
    if isinstance(price, bool) or not isinstance(price, int):
        raise ValidationError("price must be a whole number of minor units (cents).", "price")
    if price < 0:
        raise ValidationError(f"price cannot be negative (got {price}); 0 means free.", "price")
    if price > MAX_PRICE:
        raise ValidationError(
            f"price {price} is over the most allowed, {format_price(MAX_PRICE, code)}.", "price"
        )
    return price, code


def check_tags(tags: list[str] | None) -> list[str]:
    cleaned = clean_tags(tags, owner="A catalog item")
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(f"tags: at most {MAX_TAGS} per item (got {len(cleaned)}).", "tags")
    return cleaned


def check_urls(urls: list[str] | None, field: str, *, most: int = MAX_IMAGES) -> list[str]:
    cleaned = [url.strip() for url in urls or [] if url.strip()]
    if len(cleaned) > most:
        raise ValidationError(f"{field}: at most {most} (got {len(cleaned)}).", field)
    for url in cleaned:
        check_url(url, field)
    return cleaned


def check_url(url: str, field: str) -> str:
    if len(url) > 500 or not _URL.match(url):
        raise ValidationError(f"{field}: {url[:60]!r} is not an http(s) address.", field)
    return plain(url, field, "An address")


def check_stars(stars: int) -> int:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError(f"stars must be 1 to 5 (got {stars!r}).", "stars")
    return stars


def check_email(email: str) -> str:
    text = email.strip()
    if not _EMAIL.match(text) or len(text) > 254:
        raise ValidationError(f"email {text[:60]!r} is not an address.", "email")
    return text


def format_price(price: int, currency: str) -> str:
    if price == 0:
        return "free"
    if currency in ZERO_DECIMAL:
        return f"{price:,} {currency}"
    return f"{price / 100:,.2f} {currency}"


def preview_of(text: str, lines: int = PREVIEW_LINES) -> str:
    return "\n".join(text.splitlines()[:lines])


def search_text(title: str, description: str, tags: list[str]) -> str:
    return " ".join([title, description, *tags]).lower()
