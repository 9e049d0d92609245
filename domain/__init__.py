"""Pure StoryCanvas domain: entities, value objects and rules. No I/O."""
