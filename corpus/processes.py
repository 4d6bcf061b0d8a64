"""Worker processes that leave with the build that started them.

A killed rebuild must not leave its workers behind: they would wait for work
that never comes, holding their memory, or embed for minutes what nobody will
read. Each worker watches its parent from a thread and leaves once it is gone
(the worker is re-parented, so ``os.getppid()`` changes).
"""

from __future__ import annotations

import os
import threading
import time

POLL_S = 0.5


def follow_parent(parent: int) -> None:
    """Leave this process once ``parent`` is no longer its parent."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="follow-parent").start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(1)
