"""Media storage on the filesystem."""
