"""The library area: components, presets and modular prompts."""
