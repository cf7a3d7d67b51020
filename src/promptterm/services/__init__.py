"""The domain: validation, authorization, plan limits, composition, versioning, metering.

Plain Python over promptterm.db; never imports Textual. Screens and the CLI call only this.
"""
