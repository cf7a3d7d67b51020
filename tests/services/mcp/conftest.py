from support.mcp_fixtures import mcp_http, memory_keyring  # noqa: F401
