"""Placeholder media: frames designed in RGB, encoded from yuv420p planes with PyAV, previews with Pillow."""
