"""The storycanvas command line."""
