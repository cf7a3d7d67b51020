"""The MCP server registry on both databases: add, edit, enable, remove, history; secrets
only in the keyring."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.mcp.probe import Probe, ToolDef
from promptterm.services.mcp.registry import KEEP_CHECKS
from support.clock import FixedClock


def test_a_stdio_server_is_registered_inactive_with_its_secrets_in_the_keyring(
    services: Services, memory_keyring: object
) -> None:
    made = services.mcp.add_stdio(
        "files", "npx", ["-y", "server-files", "/tmp"], env={"API_TOKEN": "s3cret-value"}
    )
    assert (made.status, made.enabled, made.transport) == ("inactive", True, "stdio")
    assert made.endpoint == "npx -y server-files /tmp"
    assert made.env_names == ("API_TOKEN",)
    assert memory_keyring.passwords == {  # type: ignore[attr-defined]
        ("promptterm", f"mcp:{made.id}:env:API_TOKEN"): "s3cret-value"
    }
    spec = services.mcp.spec("files")
    assert spec.env == {"API_TOKEN": "s3cret-value"}
    assert "s3cret-value" not in repr(spec)  # a spec in a log or a traceback says no secret
    assert [s.name for s in services.mcp.list()] == ["files"]


def test_names_are_unique_per_user_and_bad_input_is_refused_in_words(
    services: Services, memory_keyring: object
) -> None:
    services.mcp.add_http("remote", "https://example.test/mcp")
    with pytest.raises(Conflict, match="already have an MCP server called 'remote'"):
        services.mcp.add_stdio("remote", "cat")
    with pytest.raises(ValidationError, match="Leave the password out of the URL"):
        services.mcp.add_http("bad", "https://me:hunter2@example.test/mcp")
    with pytest.raises(ValidationError, match="must start with http"):
        services.mcp.add_http("bad", "ftp://example.test")
    with pytest.raises(ValidationError, match="not a valid header name"):
        services.mcp.add_http("bad", "https://x.test", headers={"Bad Header": "v"})
    with pytest.raises(ValidationError, match="Give the command"):
        services.mcp.add_stdio("bad", "  ")
    with pytest.raises(NotFound, match="no MCP server 'nope'"):
        services.mcp.get("nope")


def test_edit_enable_disable_and_remove_forget_the_secrets(
    services: Services, memory_keyring: object
) -> None:
    made = services.mcp.add_http(
        "remote", "https://example.test/mcp", headers={"Authorization": "Bearer abcdefgh"}
    )
    edited = services.mcp.edit("remote", name="hosted", url="https://other.test/mcp")
    assert (edited.name, edited.endpoint) == ("hosted", "https://other.test/mcp")
    assert services.mcp.set_enabled("hosted", False).enabled is False
    assert services.mcp.list(enabled_only=True) == []
    services.mcp.remove(made.id)
    assert services.mcp.list() == []
    assert memory_keyring.passwords == {}  # type: ignore[attr-defined]


def test_a_check_is_recorded_and_only_the_newest_are_kept(
    services: Services, memory_keyring: object, clock: FixedClock
) -> None:
    made = services.mcp.add_stdio("local", "cat")
    tool = ToolDef("add", "Add", {"type": "object"}, 12)
    good = Probe(
        ok=True,
        latency_ms=40,
        protocol_version="2025-11-25",
        server_name="t",
        server_version="1.0",
        tools=(tool,),
    )
    for n in range(KEEP_CHECKS + 3):
        clock.advance(seconds=1)
        services.mcp.record(made.id, good if n % 2 else Probe(ok=False, latency_ms=5, error="x"))
    info = services.mcp.get("local")
    assert info.status == "error" and info.last_error == "x"
    # What a good check found survives a failed one: chat still knows the tools.
    assert [t.name for t in info.tools] == ["add"] and info.tools_tokens == 12
    assert info.server_version == "t 1.0"
    assert len(services.mcp.history("local", limit=100)) == KEEP_CHECKS
