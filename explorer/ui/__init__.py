"""Widgets: the window, its three panes and the state object they share."""
