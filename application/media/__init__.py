"""Media use cases: uploads and serving stored files."""
