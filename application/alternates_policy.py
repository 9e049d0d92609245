"""What happens to a scene's or clip's alternates when it is deleted."""

from enum import Enum


class AlternatesOnDelete(str, Enum):
    DELETE = "delete"  # the alternates go with their parent (default)
    PROMOTE = "promote"  # the first alternate takes the parent's place and adopts the others
