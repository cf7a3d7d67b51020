"""Importing threads from other tools' exports and databases (ChatGPT, Claude, llm, elia,
oterm): one module per source turns its format into source threads (``model``); ``tree``
maps their branches onto promptterm's versions and branch threads; ``writer`` stores them
idempotently; ``service`` is what the CLI and the app call, through the chat face.
"""
