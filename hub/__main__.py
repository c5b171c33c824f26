"""``python -m hub``: see hub.cli."""

from __future__ import annotations

import signal
import sys

from hub.cli import main

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `python -m hub stats | head` ends quietly
sys.exit(main())
