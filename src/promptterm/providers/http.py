"""HTTP plumbing the clients share: one httpx.AsyncClient, retries before the first token,
status codes and network failures turned into typed errors, SSE read off the socket.

Imported only by the client modules, which are imported only when a request is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import socket
import ssl
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from promptterm import __version__
from promptterm.providers.base import (
    OnRetry,
    ProviderSettings,
    RetryNotice,
    StreamWarning,
)
from promptterm.providers.errors import (
    BadRequest,
    ProtocolViolation,
    ProviderError,
    ProviderTimeout,
    ProviderUnreachable,
    StreamInterrupted,
    redact,
)
from promptterm.providers.http_errors import error_for_status, retry_delay
from promptterm.providers.read_bursts import BurstWindow, read_in_bursts
from promptterm.providers.sse import SSEEvent, SSEParser


class HttpProvider:
    """Base of the clients: owns the AsyncClient; ``async with`` closes it."""

    # How long the end of a finished answer's body may take to arrive (see drain).
    drain_seconds = 0.1

    def __init__(self, settings: ProviderSettings, *, transport: Any = None) -> None:
        t = settings.timeouts
        self.settings = settings
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            headers={"user-agent": f"promptterm/{__version__}"},
            transport=transport,
            verify=ssl_context(),
        )
        self._window = BurstWindow()  # the stream being read (a send's rounds come in turn)

    async def __aenter__(self) -> HttpProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- requests ---------------------------------------------------------------------------

    async def open_stream(
        self,
        url: str,
        body: dict[str, Any],
        headers: Mapping[str, str],
        *,
        model: str,
        on_retry: OnRetry | None = None,
    ) -> httpx.Response:
        """POST and return the streaming response once it says 2xx, retrying 429 and 5xx.

        The caller must ``aclose()`` the response. Nothing has been streamed yet when this
        retries, so a retry can never duplicate a token the user has already seen.
        """
        policy = self.settings.retry
        attempt = 0
        while True:
            request = self._client.build_request("POST", url, json=body, headers=headers)
            try:
                response = await self._send(request)
            except ProviderError as exc:
                # A connection closed before any byte of the answer: retried like a 5xx.
                error, reason = exc, exc.kind
            else:
                if response.is_success:
                    return response
                error = await self._error_from(response, model)
                reason = f"HTTP {response.status_code}"
            delay = retry_delay(error, attempt, policy)
            if delay is None:
                raise error
            attempt += 1
            if on_retry is not None:
                on_retry(RetryNotice(attempt, delay, reason))
            await asyncio.sleep(delay)

    async def get_json(self, url: str, headers: Mapping[str, str], *, model: str = "") -> Any:
        policy = self.settings.retry
        attempt = 0
        while True:
            response = await self._send(self._client.build_request("GET", url, headers=headers))
            if response.is_success:
                try:
                    await response.aread()
                    return response.json()
                except (httpx.HTTPError, ValueError) as exc:
                    raise ProviderError(
                        f"{self.settings.label} answered {url} with something that is not JSON."
                    ) from exc
                finally:
                    await response.aclose()
            error = await self._error_from(response, model)
            delay = retry_delay(error, attempt, policy)
            if delay is None:
                raise error
            attempt += 1
            await asyncio.sleep(delay)

    async def sse(self, response: httpx.Response) -> AsyncIterator[SSEEvent]:
        """The response's events; a drop or stall mid-stream raises StreamInterrupted.

        Keep-alives (comments, ``ping`` events) reset the read timeout but not the
        ``no_content`` deadline, so a server that only keeps the line open is given up on.
        A body that is not an event stream at all (a proxy's HTML page) raises
        ProtocolViolation saying what came back."""
        label = self.settings.label
        limit = self.settings.timeouts.no_content
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        parser = SSEParser()
        chunks = response.aiter_bytes()
        head = b""  # the first bytes, to say what came back when it is not a stream
        if "html" in response.headers.get("content-type", "").lower():
            with contextlib.suppress(httpx.HTTPError):
                async for chunk in chunks:
                    head += chunk
                    if len(head) >= _HEAD_BYTES:
                        break
            raise ProtocolViolation(
                f"{label} answered HTTP 200 with a web page instead of an event stream: "
                f"{_what_came(head, self.settings.api_key)}. Check the base URL (a proxy or "
                "login page answers there?)."
            )
        content = events = 0
        self._window = BurstWindow()
        chunks = read_in_bursts(chunks, self._window)  # a wake-up per burst, not per token
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise _no_content(label, limit, content) from None
                if len(head) < _HEAD_BYTES:
                    head += chunk[: _HEAD_BYTES - len(head)]
                for event in parser.feed(chunk):
                    events += 1
                    if event.event != "ping":
                        content += 1
                        deadline = loop.time() + limit
                    yield event
        except httpx.ReadTimeout as exc:
            raise StreamInterrupted(
                f"{label} stopped sending for {self.settings.timeouts.read:g} s "
                "mid-answer; the part that arrived is kept."
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.NetworkError) as exc:
            raise StreamInterrupted(
                f"{label}: the connection dropped mid-answer; the part that arrived is kept."
            ) from exc
        for event in parser.close():
            events += 1
            yield event
        if not events and head.strip():
            raise ProtocolViolation(
                f"{label} answered HTTP 200 with something that is not an event stream: "
                f"{_what_came(head, self.settings.api_key)}. Check the base URL (a proxy or "
                "login page answers there?)."
            )

    async def drain(self, events: AsyncIterator[SSEEvent]) -> None:
        """After the answer's last event: read the body to its end (normally already here),
        so that its connection can carry the send's next round (after a tool call) instead
        of being dropped and opened again. A body still open after ``drain_seconds`` is left
        as it is: the connection is then closed, as before."""
        self._window.close()  # the answer is complete: its end is read without a pause
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.drain_seconds):
                async for _ in events:
                    pass

    async def _send(self, request: httpx.Request) -> httpx.Response:
        host = _host(str(request.url))
        label = self.settings.label
        try:
            return await self._client.send(request, stream=True)
        except httpx.ConnectTimeout as exc:
            raise ProviderUnreachable(
                f"Could not connect to {host} within {self.settings.timeouts.connect:g} s. "
                "Check your network and the provider's base URL."
            ) from exc
        except httpx.ConnectError as exc:
            if _is_dns_failure(exc):
                raise ProviderUnreachable(
                    f"Cannot find the host {host} (DNS lookup failed). Check the base URL, "
                    "or your network connection."
                ) from exc
            raise ProviderUnreachable(
                f"Cannot connect to {host}: the connection was refused or the network is "
                "down. Is the server running? Check the base URL."
            ) from exc
        except httpx.ReadTimeout as exc:
            raise ProviderTimeout(
                f"{label} did not start answering within {self.settings.timeouts.read:g} s. "
                "Try again, or raise the read timeout for slow local models."
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProviderTimeout(f"Timed out talking to {host}. Try again.") from exc
        except httpx.UnsupportedProtocol as exc:
            raise BadRequest(
                f"{request.url} is not an http:// or https:// address: fix the base URL."
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # Connected, sent, then closed before a byte came back (a restarting server, an
            # idle keep-alive connection the server had just dropped): worth another try.
            error = ProviderUnreachable(
                f"{host} closed the connection before answering ({type(exc).__name__}). Try again."
            )
            error.retryable = True
            raise error from exc
        except httpx.TransportError as exc:
            raise ProviderUnreachable(
                f"The connection to {host} failed before an answer ({type(exc).__name__}). "
                "Try again."
            ) from exc

    async def _error_from(self, response: httpx.Response, model: str) -> ProviderError:
        try:
            raw = await response.aread()
        except httpx.HTTPError:
            raw = b""
        finally:
            await response.aclose()
        return error_for_status(
            response.status_code,
            raw,
            response.headers,
            label=self.settings.label,
            model=model,
            url=str(response.request.url),
            secret=self.settings.api_key,
        )


async def refused_request() -> None:
    """A request to a port of this machine that refuses it at once: the first connection's
    own loading (httpx's network backend) done, nothing sent anywhere."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound and never listening: a connection is refused
        port = closed.getsockname()[1]
        async with httpx.AsyncClient(verify=ssl_context()) as client:
            with contextlib.suppress(httpx.HTTPError):
                await client.get(f"http://127.0.0.1:{port}/")


@functools.cache
def ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs about 70 ms of CPU: once per process, not once per send.
    return httpx.create_ssl_context()


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _is_dns_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        text = str(seen).lower()
        if "name or service not known" in text or "name resolution" in text:
            return True
        if "nodename nor servname" in text or "getaddrinfo failed" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


MAX_BAD_EVENTS = 5  # more events that are not JSON than this: it is not the protocol


def skipped(error: ProtocolViolation, count: int) -> StreamWarning:
    """One unreadable event is skipped with a warning (a proxy's stray line, a truncated
    keep-alive); many mean the server does not speak the protocol, and ``error`` is raised."""
    if count > MAX_BAD_EVENTS:
        raise error
    return StreamWarning(f"{error.message} It was skipped; the answer may lack a few words.")


_HEAD_BYTES = 2048
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _what_came(head: bytes, secret: str | None) -> str:
    text = head.decode("utf-8", errors="replace")
    title = _TITLE.search(text)
    if title:
        return f"a web page titled {redact(title.group(1), secret)!r}"
    words = redact(_TAGS.sub(" ", text), secret)
    return f"{words[:200]!r}"


def _no_content(label: str, limit: float, content: int) -> ProviderError:
    if not content:
        return ProviderTimeout(
            f"{label} sent only keep-alives and no answer for {limit:g} s. Try again, or raise "
            "the provider's no-content timeout for slow models."
        )
    return StreamInterrupted(
        f"{label} sent only keep-alives and no more answer for {limit:g} s; the part that "
        "arrived is kept."
    )


def join_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")
