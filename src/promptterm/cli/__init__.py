"""The `promptterm` command: opens the TUI, or runs a scriptable subcommand over the services."""
