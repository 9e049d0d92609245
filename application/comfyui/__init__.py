"""ComfyUI server registry use cases."""
