"""The chat area: threads, streaming, presets, providers and models."""
