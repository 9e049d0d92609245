"""Authentication and authorization: API keys and JWTs, roles per operation, the request's principal."""
