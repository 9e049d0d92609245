"""ComfyUI adapters: HTTP + WebSocket client, presets (the simulator lives in simulators/comfyui)."""
