"""Timeline export on OpenTimelineIO: one timeline built from the board, written by format writers."""
