"""The durable generation queue: enqueue, schedule, run, control."""
