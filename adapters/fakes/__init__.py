"""In-memory twins of every port: small, fully working, no mocks."""
