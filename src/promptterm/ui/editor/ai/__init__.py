"""The editor's AI actions: explain, refactor, generate, analyze, in a side panel."""
