"""Qt-free core: corpus model, loading, validation, essay import.

Nothing in this package may import Qt (enforced by import-linter).
"""
