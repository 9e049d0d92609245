"""The simulator's HTTP and WebSocket handlers, one module per group of routes."""
