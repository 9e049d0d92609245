"""Renderers: the storyboard sheet (reportlab, pypdfium2) and the animatic (PyAV)."""
