"""Chat: threads, sending and streaming, search, export, providers, prices."""
