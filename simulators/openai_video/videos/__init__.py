"""Video jobs: the model, parameter checks, the background lifecycle, the registry, stats and failures."""
