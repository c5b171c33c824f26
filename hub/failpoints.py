"""Named moments where a test can hold the process, to kill it there (``kill -9``) and check
that nothing half-done survives: the database keeps all or nothing, the index recovers.

``HUB_PAUSE_AT=<name>`` makes the process announce ``paused at <name>`` on stderr when it
reaches that point, then wait; unset (always, outside such tests) a checkpoint costs one lookup.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "HUB_PAUSE_AT"


def checkpoint(name: str) -> None:
    """Hold here when ``HUB_PAUSE_AT`` names this point (see the module's docstring)."""
    if os.environ.get(ENV) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)
