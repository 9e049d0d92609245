"""The aiohttp REST + WebSocket API."""
