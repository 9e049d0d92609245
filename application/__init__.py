"""Use cases of StoryCanvas and the ports they need."""
