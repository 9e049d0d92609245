"""Video providers: engines serving the /v1/videos API, registered like ComfyUI servers."""
