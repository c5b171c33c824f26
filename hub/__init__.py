"""HubMatch: investment and innovation hub matchmaking for Astana and the region."""

from __future__ import annotations

__version__ = "0.1.0"
