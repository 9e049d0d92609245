"""Built-in model presets: ComfyUI API-format workflow templates for 13 model families."""
