"""Tools in chat: the sources a thread offers (``source``: the ToolSource protocol an MCP
adapter implements), how names find them (``registry``: the hook), the tools of one send
(``toolbox``), a round's calls answered (``loop``), a thread's settings (``settings``).
Other domains import these names from ``promptterm.services.chat``."""
