"""A loopback HTTP server speaking the part of Stripe's API promptterm uses, for the tests.

``POST /v1/payment_intents`` and ``POST /v1/payment_intents/{id}/confirm``, form-encoded,
``Authorization: Bearer sk_test_...``. Like Stripe, a request with an ``Idempotency-Key`` seen
before is answered with the first answer (and a different body under the same key is a 400
idempotency_error); a confirm with a declining card answers HTTP 402 with a card_error.
``charges`` counts the charges that went through, so a test can see one charge for two pays.

    with StripeServer() as stripe:
        processor = StripeProcessor("pm_card_visa", "sk_test_x", stripe.url)
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

DECLINING = {
    "pm_card_chargeDeclined": ("card_declined", "generic_decline", "Your card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": (
        "card_declined",
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
}
SECRET = "sk_test_promptterm"


class StripeServer:
    def __init__(self) -> None:
        self.intents: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, tuple[str, int, dict[str, Any]]] = {}  # key: (body, status, json)
        self.requests: list[tuple[str, dict[str, str], str | None]] = []
        self.charges = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                status, body = server.answer(
                    self.path,
                    raw,
                    self.headers.get("Authorization"),
                    self.headers.get("Idempotency-Key"),
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    def __enter__(self) -> StripeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def answer(
        self, path: str, raw: str, auth: str | None, key: str | None
    ) -> tuple[int, dict[str, Any]]:
        form = dict(parse_qsl(raw))
        with self._lock:
            self.requests.append((path, form, key))
            if auth != f"Bearer {SECRET}":
                return 401, _error("invalid_request_error", None, "Invalid API Key provided.")
            if key is not None and key in self.answers:
                body, status, answer = self.answers[key]
                if body != raw:
                    return 400, _error(
                        "idempotency_error",
                        None,
                        "Keys for idempotent requests can only be used with the same parameters.",
                    )
                return status, answer
            status, answer = self._handle(path, form)
            if key is not None:
                self.answers[key] = (raw, status, answer)
            return status, answer

    def _handle(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        parts = path.strip("/").split("/")
        if parts == ["v1", "payment_intents"]:
            if not form.get("amount", "").isdigit() or not form.get("currency"):
                return 400, _error("invalid_request_error", "parameter_missing", "Missing amount.")
            intent = {
                "id": f"pi_test_{len(self.intents) + 1}",
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "currency": form["currency"],
                "payment_method": form.get("payment_method"),
                "description": form.get("description"),
                "status": "requires_confirmation",
                "last_payment_error": None,
            }
            self.intents[intent["id"]] = intent
            return 200, dict(intent)
        if len(parts) == 4 and parts[:2] == ["v1", "payment_intents"] and parts[3] == "confirm":
            intent = self.intents.get(parts[2])
            if intent is None:
                return 404, _error("invalid_request_error", "resource_missing", "No such intent.")
            method = form.get("payment_method") or intent["payment_method"]
            intent["payment_method"] = method
            if method in DECLINING:
                code, decline, message = DECLINING[method]
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {"code": code, "message": message}
                error = _error("card_error", code, message)
                error["error"]["decline_code"] = decline
                error["error"]["payment_intent"] = dict(intent)
                return 402, error
            intent["status"] = "succeeded"
            self.charges += 1
            return 200, dict(intent)
        return 404, _error("invalid_request_error", None, f"Unrecognized request URL ({path}).")


def _error(kind: str, code: str | None, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "code": code, "message": message}}
