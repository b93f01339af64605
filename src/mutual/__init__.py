"""Mutual: software for two people who want to become close without getting hurt."""

__version__ = "0.1.0"
