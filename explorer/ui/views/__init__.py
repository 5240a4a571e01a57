"""Views of the whole corpus beside the three panes: the timeline and the correspondence."""
