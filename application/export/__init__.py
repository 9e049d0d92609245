"""Export use cases: the board as an editing timeline."""
