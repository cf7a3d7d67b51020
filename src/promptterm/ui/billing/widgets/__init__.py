"""Widgets of the billing area: usage bars, the day chart, the tables, the plan picker."""
