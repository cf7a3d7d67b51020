"""Billing: plans, subscriptions, usage against limits, spend, invoices."""
