"""Entity ids as ObjectId hex strings: unique across API instances, sortable by creation."""

from bson import ObjectId


class ObjectIdGenerator:
    def new_id(self) -> str:
        return str(ObjectId())
