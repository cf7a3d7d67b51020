"""Stripe as a payment processor: one PaymentIntent per attempt, created then confirmed.

The part of Stripe's API used (form-encoded POSTs, ``Authorization: Bearer <secret key>``):
``POST /v1/payment_intents`` (amount, currency, payment_method, description, metadata) and
``POST /v1/payment_intents/{id}/confirm``. Both carry an ``Idempotency-Key`` derived from the
attempt's key, so a request sent twice (a double submit, a retry after a dropped connection)
is answered with the first one's result and charges once. A decline is an HTTP 402 whose
``error`` has ``type`` card_error, a ``code`` (card_declined) and a message for the payer.

The secret key lives in the OS keyring (service "promptterm", user "stripe"), like the
providers' API keys, or in STRIPE_SECRET_KEY; never in the database or a log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from promptterm.services.billing.payments import ChargeRequest, ChargeResult
from promptterm.services.errors import SecretStoreUnavailable, ServiceError, ValidationError

API_BASE = "https://api.stripe.com"
KEYRING_SERVICE = "promptterm"
KEYRING_USER = "stripe"
ENV_VAR = "STRIPE_SECRET_KEY"
TIMEOUT = 30.0


def secret_key() -> str:
    """The Stripe secret key: STRIPE_SECRET_KEY, else the keyring's."""
    if value := os.environ.get(ENV_VAR):
        return value
    import keyring
    from keyring.errors import KeyringError

    try:
        value = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except KeyringError as exc:
        raise SecretStoreUnavailable(
            f"The OS keyring could not be read ({type(exc).__name__}); set {ENV_VAR} instead."
        ) from None
    if not value:
        raise ValidationError(
            "No Stripe secret key is set: `promptterm billing stripe-key` stores one in the "
            f"OS keyring (or set {ENV_VAR}).",
            "stripe",
        )
    return value


def store_secret_key(value: str) -> None:
    value = value.strip()
    if not value.startswith(("sk_", "rk_")):
        raise ValidationError(
            "A Stripe secret key starts with sk_ (or rk_ for a restricted key).", "stripe"
        )
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
    except KeyringError as exc:
        raise SecretStoreUnavailable(
            f"The OS keyring refused the key ({type(exc).__name__}); set {ENV_VAR} instead."
        ) from None


@dataclass(frozen=True)
class StripeProcessor:
    payment_method: str  # a saved card, pm_...
    api_key: str
    base_url: str = API_BASE
    name: str = "stripe"

    def charge(self, request: ChargeRequest) -> ChargeResult:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"}
        try:
            with httpx.Client(base_url=self.base_url, headers=headers, timeout=TIMEOUT) as http:
                created = self._post(
                    http,
                    "/v1/payment_intents",
                    {
                        "amount": str(request.amount_cents),
                        "currency": request.currency,
                        "payment_method": self.payment_method,
                        "description": request.description,
                        "metadata[statement]": str(request.statement_id),
                    },
                    f"{request.idempotency_key}-create",
                )
                if "error" in created:
                    return _failed(created["error"])
                if created.get("status") == "succeeded":
                    return _result(created)
                confirmed = self._post(
                    http,
                    f"/v1/payment_intents/{created['id']}/confirm",
                    {"payment_method": self.payment_method},
                    f"{request.idempotency_key}-confirm",
                )
        except httpx.HTTPError as exc:
            raise ServiceError(
                f"Stripe could not be reached ({type(exc).__name__}); nothing was recorded. "
                "Pay again: the same attempt is sent with the same key, so it charges once."
            ) from None
        if "error" in confirmed:
            return _failed(confirmed["error"])
        return _result(confirmed)

    def _post(self, http: Any, path: str, form: dict[str, str], key: str) -> dict[str, Any]:
        response = http.post(path, data=form, headers={"Idempotency-Key": key})
        body: dict[str, Any] = response.json()
        if response.status_code == 402 or (
            response.status_code >= 400 and body.get("error", {}).get("type") == "card_error"
        ):
            return body
        if response.status_code == 401:
            raise ValidationError(
                "Stripe refused the secret key: store the right one with "
                "`promptterm billing stripe-key`.",
                "stripe",
            )
        if response.status_code >= 400:
            message = body.get("error", {}).get("message") or f"HTTP {response.status_code}"
            raise ServiceError(f"Stripe refused the payment request: {message}")
        return body


def _result(intent: dict[str, Any]) -> ChargeResult:
    status = intent.get("status")
    if status == "succeeded":
        return ChargeResult("succeeded", intent["id"], _method(intent))
    if status == "processing":
        return ChargeResult("pending", intent["id"], _method(intent))
    error = intent.get("last_payment_error") or {}
    message = error.get("message") or (
        "The card needs the payer's confirmation (3-D Secure), which a terminal cannot show."
        if status == "requires_action"
        else "The payment was not completed."
    )
    return ChargeResult("failed", intent["id"], _method(intent), message, error.get("code"))


def _failed(error: dict[str, Any]) -> ChargeResult:
    intent = error.get("payment_intent") or {}
    message = error.get("message") or "Your card was declined."
    return ChargeResult("failed", intent.get("id"), None, message, error.get("code"))


def _method(intent: dict[str, Any]) -> str | None:
    method = intent.get("payment_method")
    return method if isinstance(method, str) else None
