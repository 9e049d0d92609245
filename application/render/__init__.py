"""Use cases that render a board to look at: the storyboard sheet and the animatic."""
