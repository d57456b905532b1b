"""Word lists and API tables the vocabulary reads (package data)."""
