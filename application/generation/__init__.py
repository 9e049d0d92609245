"""Generation use cases: models, user workflows."""
