"""The /v1/videos API (OpenAI-compatible video providers) as a generation backend."""
