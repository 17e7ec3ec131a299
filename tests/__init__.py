"""storywatch tests."""
