"""Running prompts: queue, validation, workers and slots, cache, progress, messages, jobs, failures."""
