"""promptterm: a keyboard-driven terminal workspace for people who build with LLMs."""

__version__ = "0.1.0"
