"""The last rendered board of each recently read project, by board version, so that a read of an unchanged
board costs one small read of its version instead of the whole board and its rendering.

A board version goes up in the same write as any change to the board, and the board is read after its
version: a body kept under version v is the board as of v or newer, so serving it to a request that read v
is never older than what a full read would have answered.
"""

from collections import OrderedDict

from attrs import define, field

CAPACITY = 512  # projects kept; the least recently read goes first


@define
class BoardResponses:
    capacity: int = CAPACITY
    _bodies: OrderedDict[str, tuple[int, bytes]] = field(factory=OrderedDict, init=False)

    def body(self, project_id: str, version: int) -> bytes | None:
        """The body kept for this version of the project's board, if any."""
        kept = self._bodies.get(project_id)
        if kept is None or kept[0] != version:
            return None
        self._bodies.move_to_end(project_id)
        return kept[1]

    def keep(self, project_id: str, version: int, body: bytes) -> None:
        """Keep a body unless one of a later version is kept already (an older read finishing late)."""
        kept = self._bodies.get(project_id)
        if kept is not None and kept[0] > version:
            return
        self._bodies[project_id] = (version, body)
        self._bodies.move_to_end(project_id)
        while len(self._bodies) > self.capacity:
            self._bodies.popitem(last=False)
