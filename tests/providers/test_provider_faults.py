"""Faults real servers and proxies commit, against both protocols over loopback HTTP: a
stream of keep-alives and nothing else, a 200 that is a web page, one event that is not
JSON, a connection closed before the first byte."""

from __future__ import annotations

from promptterm.providers.base import Timeouts
from providers.harness import Target
from support.llm_server import Script

QUICK = Timeouts(connect=2, read=2, no_content=0.5)  # keep-alives come every 0.05 s


def test_only_keep_alives_from_the_start_end_in_a_timeout(target: Target) -> None:
    target.server.push(Script(keepalive_after=0))
    run = target.run(timeouts=QUICK)

    assert run.text == "" and run.done is None
    assert run.error is not None
    assert "sent only keep-alives" in run.error.message and "0.5 s" in run.error.message


def test_keep_alives_after_some_text_keep_the_text(target: Target) -> None:
    target.server.push(Script(text="one two three four", keepalive_after=2))
    run = target.run(timeouts=QUICK)

    assert run.text == "one two"
    assert run.error is not None and run.error.kind == "interrupted"
    assert "sent only keep-alives and no more answer" in run.error.message


def test_keep_alives_between_tokens_do_not_count_as_silence(target: Target) -> None:
    target.server.push(Script(text="a b c", keepalive=True))
    run = target.run(timeouts=QUICK)
    assert (run.text, run.error) == ("a b c", None)


def test_a_200_web_page_says_what_came_back(target: Target) -> None:
    page = "<html><head><title>Sign in to Corp Proxy</title></head><body>Login</body></html>"
    target.server.push(Script(html=page))
    run = target.run()

    assert run.error is not None and run.error.kind == "bad response"
    assert "web page" in run.error.message and "Sign in to Corp Proxy" in run.error.message
    assert "closed the stream" not in run.error.message
    assert len(target.server.requests) == 1  # a wrong address is not retried


def test_one_event_that_is_not_json_is_skipped_with_a_warning(target: Target) -> None:
    target.server.push(Script(text="one two three", bad_json_after=1))
    run = target.run()

    assert (run.text, run.error) == ("one two three", None)
    assert run.done is not None
    [warning] = run.warnings
    assert "not JSON" in warning and "skipped" in warning


def test_a_connection_closed_before_any_byte_is_retried(target: Target) -> None:
    target.server.push(Script(close_before_reply=True), Script(text="after a retry"))
    run = target.run()

    assert (run.text, run.error) == ("after a retry", None)
    assert [r.attempt for r in run.retries] == [1]
    assert len(target.server.requests) == 2
