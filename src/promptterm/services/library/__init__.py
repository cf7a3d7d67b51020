"""Library: components, presets and modular prompts."""
