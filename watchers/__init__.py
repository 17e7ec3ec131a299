"""Watchers: fetch and parse feeds, match stories, extract facts, decide changes, the tick."""
