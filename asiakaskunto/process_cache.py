"""What one app process keeps for itself between requests: a bounded store, safe across threads.

For values that are costly to rebuild and are only read once built (the survey's form fields,
a standing link with its questions), so that requests share one copy instead of unpickling or
building their own. Whoever stores a value must never change it afterwards.
"""

import threading
from collections import OrderedDict


class ProcessLRU:
    """A dict of at most ``size`` entries that forgets the least recently used one first."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            try:
                self._entries.move_to_end(key)
            except KeyError:
                return default
            return self._entries[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_make(self, key, make):
        """The value under ``key``, else ``make()``, kept under it. Made outside the lock: two
        threads may both make a missing value, and either copy is kept."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
