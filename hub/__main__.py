"""``python -m hub``: see hub.cli."""

from __future__ import annotations

import sys

from hub.cli import main

sys.exit(main())
