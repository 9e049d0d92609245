"""ComfyUI adapters: HTTP + WebSocket client, presets, simulator."""
