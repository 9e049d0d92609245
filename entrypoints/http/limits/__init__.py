"""Rate limiting per credential (per client address without one)."""
