"""Who is asking, and what they may do: plain Python, no HTTP or SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from catalogue.domain import disclosure

STEWARD = "steward"
DPO = "dpo"
ADMIN = "admin"
AUDITOR = "auditor"
ORGANISATION_ROLES = (STEWARD, DPO)
GLOBAL_ROLES = ("", ADMIN, AUDITOR)


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    email: str
    global_role: str = ""
    roles: Mapping[str, frozenset[str]] = field(default_factory=dict)  # organisation slug -> roles

    @property
    def is_admin(self) -> bool:
        return self.global_role == ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.global_role == AUDITOR

    @property
    def reads_everything(self) -> bool:
        return self.is_admin or self.is_auditor

    @property
    def organisations(self) -> frozenset[str]:
        return frozenset(self.roles)

    @property
    def dpo_of(self) -> frozenset[str]:
        """The organisations whose data protection officer this is."""
        return frozenset(slug for slug, roles in self.roles.items() if DPO in roles)

    def has_role(self, organisation: str, role: str) -> bool:
        return role in self.roles.get(organisation, frozenset())

    def can_edit_datasets_of(self, organisation: str | None) -> bool:
        if self.is_admin:
            return True
        return organisation is not None and self.has_role(organisation, STEWARD)

    def can_see_unpublished_of(self, organisation: str | None) -> bool:
        return disclosure.sees_unpublished(self, organisation)


def can_edit(principal: Principal | None, organisation: str | None) -> bool:
    return principal is not None and principal.can_edit_datasets_of(organisation)
