"""The billing area: plan, usage against limits, spend, statements."""
