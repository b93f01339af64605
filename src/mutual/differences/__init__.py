"""Differences: a topic the two see differently, worked through in rounds and revisited."""
