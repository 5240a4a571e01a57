"""Hostile inputs: bad, huge, malicious or merely awkward files, and what the app does with them."""
