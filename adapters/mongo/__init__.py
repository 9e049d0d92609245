"""MongoDB adapters on PyMongo's async API (AsyncMongoClient)."""
