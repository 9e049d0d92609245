"""The simulated node classes: their catalog (real /object_info entries), behaviour and values."""
