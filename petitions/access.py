"""Who may do what in the petitions app beyond the council scoping: above all, who may read a
petitioner's identity, and the one place that decrypts it.

Law on Denunciations 2018, arts 9(1)(b), 47, 49 and Decree 31/2019 ch. VI: the name, address,
handwriting/signature and other personal data of a denouncer are secret. Here:
- `may_reveal(user, petition)`: for a petition with a denunciation item, only users holding the
  confidential petition handler role on exactly that council (the leader included is refused);
  for other petitions, anyone who may read the petition;
- `reveal()` decrypts and, for a confidential petition, writes an `IdentityAccessLog` row in
  the same transaction: no log, no identity; a refused reveal is logged as such;
- `log_read()` logs the handler's downloads of a denunciation's scan and unredacted copy;
- everything else (lists, search, exports, slips, reminders, notifications, the admin) only
  ever prints `label()`, which for a confidential petition is "Người tố cáo (bảo mật)".
The app's other permission predicates (the access log, the guidance letters) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from councilportal.access import can_edit, has_role
from councilportal.models import Role, RoleAssignment
from councilportal.typing import AnyUser, User

from .crypto import REDACTED, Sealed, decrypt
from .models import (
    IdentityAccess,
    IdentityAccessLog,
    ItemKind,
    Outcome,
    Petition,
    Petitioner,
    PetitionItem,
)

# Who reads the identity access log: the leaders and handlers of a council (and its
# administrators), on the rows of the councils they hold that role on.
ACCESS_LOG_ROLES = (Role.LEADER, Role.HANDLER, Role.ADMIN)


def is_handler(user: Any, council: Any) -> bool:
    """Whether the user is a confidential petition handler of exactly this council."""
    return has_role(user, council, Role.HANDLER)


def access_log_councils(user: User) -> Any:
    """The councils whose identity access log the user reads (ids, a subquery)."""
    return RoleAssignment.objects.filter(user_id=user.pk, role__in=ACCESS_LOG_ROLES).values(
        "council_id"
    )


def can_read_access_log(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or access_log_councils(user).exists())


def access_log_rows(user: Any) -> Any:
    """The rows of the identity access log the user reads (`can_read_access_log` first)."""
    rows = IdentityAccessLog.objects.visible_to(user).select_related("user", "petition", "council")
    if not user.is_superuser:
        rows = rows.filter(council_id__in=access_log_councils(user))
    return rows


def can_request_guidance_letter(user: Any, item: PetitionItem) -> bool:
    """The guidance letter of an item guided elsewhere, by those who edit the item."""
    return item.outcome == Outcome.GUIDE and can_edit(user, item)


def can_read_unredacted_copy(user: Any, item: PetitionItem) -> bool:
    """The unredacted guidance letter names the denouncer: its handlers only."""
    return is_handler(user, item.petition.council)


@dataclass(frozen=True)
class Identity:
    """A petitioner's identity in plain text, as revealed to one user for one purpose."""

    pk: int
    full_name: str
    address: str
    phone: str
    id_number: str
    is_representative: bool


def may_reveal(user: AnyUser, petition: Petition) -> bool:
    if not Petition.objects.visible_to(user).filter(pk=petition.pk).exists():
        return False
    if not petition.is_confidential:
        return True
    return is_handler(user, petition.council)


def _open(value: Any) -> str:
    return decrypt(value.token) if isinstance(value, Sealed) and value.token else ""


def _identity(person: Petitioner) -> Identity:
    return Identity(
        pk=person.pk,
        full_name=_open(person.full_name),
        address=_open(person.address),
        phone=_open(person.phone),
        id_number=_open(person.id_number),
        is_representative=person.is_representative,
    )


def reveal(*, petition: Petition, by: User, action: str = IdentityAccess.VIEW) -> list[Identity]:
    """The petitioners' identities of a petition, for a user allowed to read them; for a
    confidential petition the read is logged (who, when, which petition, what for)."""
    if not may_reveal(by, petition):
        if petition.is_confidential and getattr(by, "pk", None):
            # A refusal is logged too (DOMAIN.md §2): leaders see who asks without the right.
            IdentityAccessLog.objects.create(
                council=petition.council, petition=petition, user=by, action=IdentityAccess.REFUSED
            )
        raise PermissionDenied(_("Only a confidential petition handler may see this identity."))
    people = list(
        Petitioner.objects.filter(petition=petition).order_by(
            "-is_representative", "position", "pk"
        )
    )
    with transaction.atomic():
        if petition.is_confidential:
            IdentityAccessLog.objects.create(
                council=petition.council, petition=petition, user=by, action=action
            )
        return [_identity(person) for person in people]


def log_read(*, petition: Petition, by: User, action: str) -> None:
    """Log a read of a denunciation's identity outside `reveal()`: the handler downloading a
    scan of the letter or the unredacted copy, which the access rules already allowed."""
    if petition.is_confidential:
        IdentityAccessLog.objects.create(
            council=petition.council, petition=petition, user=by, action=action
        )


def reveal_for_document(petition: Petition) -> list[Identity]:
    """Identities for an unredacted copy the handler asked for. Only the document kinds whose
    request view called `reveal(..., action=UNREDACTED_COPY)` first (and so logged it) and
    whose files only handlers may read use this."""
    people = Petitioner.objects.filter(petition=petition).order_by(
        "-is_representative", "position", "pk"
    )
    return [_identity(person) for person in people]


def register_label(petition: Petition) -> str:
    """The petitioner column of the register and its export: the name of a petition that is
    not confidential (from its prefetched `petitioners`, see `petitioners_for_register`), the
    redacted label of a denunciation, whose identity is never decrypted for a list."""
    if petition.is_confidential:
        return str(REDACTED)
    people = sorted(
        petition.petitioners.all(), key=lambda p: (not p.is_representative, p.position, p.pk)
    )
    return label(petition, [_identity(person) for person in people])


def petitioners_for_register() -> Any:
    """What a register prefetches as `petitioners`: none of a petition with a denunciation
    item, so a denouncer's identity is not even loaded for a list."""
    return Petitioner.objects.exclude(petition__items__kind=ItemKind.DENUNCIATION)


def label(petition: Petition, identities: list[Identity] | None = None) -> str:
    """How the petitioners are named on pages and documents that are not a logged reveal."""
    if petition.is_confidential:
        return str(REDACTED)
    if petition.is_anonymous:
        return _("Anonymous")
    if identities is None:
        identities = reveal_for_document(petition)
    names = [i.full_name for i in identities if i.full_name]
    if not names:
        return _("Anonymous")
    if len(names) > 1:
        return _("%(name)s and %(n)d others") % {"name": names[0], "n": len(names) - 1}
    return names[0]
