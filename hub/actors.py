"""Who acts: a signed-in account in one role, or the system (the command line)."""

from __future__ import annotations

from dataclasses import dataclass

from hub.vocab import Role


@dataclass(frozen=True)
class Actor:
    """The acting account: its email and role, and for an investor its organisation."""

    email: str
    role: str
    account_id: int | None = None
    investor_id: int | None = None  # the investor organisation an investor account belongs to
    display_name: str = ""

    @property
    def is_staff(self) -> bool:
        """Hub staff, an admin or the system: may curate, edit any listing and import."""
        return self.role in (Role.HUB_STAFF, Role.ADMIN, Role.SYSTEM)

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.ADMIN, Role.SYSTEM)


SYSTEM = Actor("system", Role.SYSTEM, display_name="HubMatch (command line)")
