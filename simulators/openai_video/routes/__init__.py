"""The HTTP surface: the /v1/videos routes, the /sim/ routes and the middlewares around them."""
