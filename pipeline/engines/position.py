"""Where each document in flight is: the page a PDF is being read at, the issue or piece of a
long text whose figures are being found.

The readers say where they are with ``reached`` (``pipeline/ingest/pdf/reader.py`` page by page,
``pipeline/process.py`` issue by issue and piece by piece); outside a run it does nothing. In a
run, the document's worker writes it into the document's slot of a ``Board``: a small table in
memory that the worker processes share with the parent, so the parent's progress heartbeat
(``engines/progress.py``) reads where every worker is without a message being sent — a page
costs the writing of 24 bytes, whatever the number of pages.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from multiprocessing import shared_memory

# What a slot says, by code. "waiting": sent to the engine, not started; "in flight": sent to an
# engine that does not say more (Dask).
STAGES = ("free", "waiting", "in flight", "reading", "page", "figures", "issue", "piece")
_CODE = {stage: code for code, stage in enumerate(STAGES)}
_SLOT = struct.Struct("<4q")  # document's index + 1 (0: a free slot), stage, done, total
_WHERE = struct.Struct("<3q")  # the part a worker writes: stage, done, total


@dataclass(frozen=True)
class Position:
    index: int  # the document's position in the run's file order
    stage: str
    done: int = 0
    total: int = 0


_writer: ContextVar[tuple[object, int] | None] = ContextVar("bulletin_position", default=None)


def reached(stage: str, done: int = 0, total: int = 0) -> None:
    """The document being read is at ``stage`` (``reading``, ``page``, ``figures``, ``issue`` or
    ``piece``), ``done`` of ``total``."""
    slot = _writer.get()
    if slot is not None:
        buffer, number = slot
        _WHERE.pack_into(buffer, number * _SLOT.size + 8, _CODE[stage], done, total)


@contextmanager
def reporting(buffer: object | None, slot: int | None) -> Iterator[None]:
    """While in the block, ``reached`` writes to ``slot`` of the board memory ``buffer``."""
    if buffer is None or slot is None:
        yield
        return
    token = _writer.set((buffer, slot))
    try:
        yield
    finally:
        _writer.reset(token)


_attached: dict[str, shared_memory.SharedMemory] = {}


def attach(name: str | None) -> object | None:
    """The memory of the shared board ``name``, in a worker process (opened once per process)."""
    if name is None:
        return None
    if name not in _attached:
        try:
            _attached[name] = shared_memory.SharedMemory(name=name)
        except OSError:  # gone (the run ended) or not reachable: the document is read all the same
            return None
    return _attached[name].buf


class Board:
    """Slots for the documents in flight. ``shared``: in shared memory, for worker processes
    (where none can be made, the workers' positions are not seen and the run goes on); else in
    this process, for documents read here and engines whose workers cannot write to it."""

    def __init__(self, slots: int, shared: bool = False) -> None:
        self._memory = None
        if shared:
            try:
                self._memory = shared_memory.SharedMemory(create=True, size=max(1, slots) * _SLOT.size)
            except OSError:
                pass
        self.buffer = self._memory.buf if self._memory is not None else bytearray(max(1, slots) * _SLOT.size)
        self._free = list(range(max(1, slots) - 1, -1, -1))

    @property
    def name(self) -> str | None:
        """What a worker process attaches to (None: nothing it can write to)."""
        return self._memory.name if self._memory is not None else None

    def take(self, index: int, stage: str = "waiting") -> int | None:
        """A slot for the document of run index ``index``; an unshared board grows as needed, a
        shared one that is full gives None (that document's position is not seen)."""
        if not self._free:
            if self._memory is not None:
                return None
            size = len(self.buffer) // _SLOT.size
            self.buffer.extend(bytes(size * _SLOT.size))
            self._free = list(range(2 * size - 1, size - 1, -1))
        slot = self._free.pop()
        _SLOT.pack_into(self.buffer, slot * _SLOT.size, index + 1, _CODE[stage], 0, 0)
        return slot

    def release(self, slot: int | None) -> None:
        if slot is None:
            return
        _SLOT.pack_into(self.buffer, slot * _SLOT.size, 0, 0, 0, 0)
        self._free.append(slot)

    def read(self) -> list[Position]:
        """Every taken slot, by run index. A slot is read twice and kept only when both reads
        agree: a worker may be writing it at that moment."""
        positions = []
        for offset in range(0, len(self.buffer), _SLOT.size):
            first = _SLOT.unpack_from(self.buffer, offset)
            if first[0] and first == _SLOT.unpack_from(self.buffer, offset):
                positions.append(Position(first[0] - 1, STAGES[first[1]] if 0 <= first[1] < len(STAGES) else "reading", first[2], first[3]))
        return sorted(positions, key=lambda p: p.index)

    def close(self) -> None:
        if self._memory is not None:
            self.buffer = bytearray(len(self.buffer))
            self._memory.close()
            self._memory.unlink()
            self._memory = None
