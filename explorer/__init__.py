"""A three-pane explorer for footnoted historical essays."""

__version__ = "0.1.0"
