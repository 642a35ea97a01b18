"""The public portal's writes and lookups: the online petition (it goes through the petitions
app's own intake service, so it lands exactly as one received at the reception office), the
tracking code, the challenge that keeps robots out, and the per-address rate limits. No outside
service: the challenge is a signed question, the counters live in Django's cache."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from councilportal.models import Attachment, Council
from petitions.models import Channel, ItemKind, Petition, PetitionItem
from petitions.services import ItemData, PersonData, petition_receive, petition_scan_attach

# 31 symbols without 0/O, 1/I/L: a code read over the phone is typed back right. 16 of them
# are 79 bits: guessing one of a million live codes takes 2^60 tries, at 20 tries per
# 10 minutes per address.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16
logger = logging.getLogger(__name__)
CHALLENGE_SALT = "public.petition.challenge"
NUMBER_WORDS = {
    "vi": ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
}


class ChallengeError(Exception):
    """The answer to the anti-robot question is missing, wrong, too quick, old or used."""


def rate_limited(action: str, address: str, *, limit: int, window: int) -> bool:
    """Count one attempt of `action` from `address`; True once more than `limit` were made in
    the current `window` seconds (a fixed window in the cache, shared by every web process)."""
    bucket = int(timezone.now().timestamp()) // window
    key = f"public:rate:{action}:{hashlib.sha256(address.encode()).hexdigest()[:24]}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window + 5)
            count = 1
    except Exception:  # noqa: BLE001 - Redis down: the challenge still stands guard
        logger.warning("The rate-limit counters are unreachable.")
        return False
    return count > limit


@dataclass
class Challenge:
    question: str
    token: str


def challenge_new() -> Challenge:
    """A question a person answers at a glance ("Bảy cộng năm bằng mấy?") and a signed token
    holding its answer, the time it was asked and a nonce (each token is accepted once)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps(
        {"s": a + b, "t": int(timezone.now().timestamp()), "n": secrets.token_hex(8)},
        salt=CHALLENGE_SALT,
    )
    return Challenge(
        question=_("How much is %(a)s plus %(b)s? Answer in digits.") % {"a": a, "b": b},
        token=token,
    )


def challenge_check(token: str, answer: str) -> None:
    """Raise ChallengeError unless `answer` answers the token's question, the form was filled
    in no faster than a person could (PUBLIC_CHALLENGE_MIN_SECONDS) and not too long ago, and
    the token was not used before."""
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=2 * 3600)
    except signing.BadSignature as exc:
        raise ChallengeError(_("The form has expired. Answer the new question.")) from exc
    if not isinstance(data, dict) or str(data.get("s")) != (answer or "").strip():
        raise ChallengeError(_("The answer to the question is not right. Try the new question."))
    age = timezone.now().timestamp() - float(data.get("t", 0))
    if age < settings.PUBLIC_CHALLENGE_MIN_SECONDS:
        raise ChallengeError(_("The form was sent too quickly. Wait a moment and send it again."))
    try:
        first_use = cache.add(f"public:challenge:{data.get('n')}", 1, timeout=2 * 3600 + 60)
    except Exception:  # noqa: BLE001 - Redis down: the rate limit and the signature remain
        logger.warning("The used-challenge store is unreachable.")
        first_use = True
    if not first_use:
        raise ChallengeError(_("This form was already sent. Answer the new question."))


def tracking_code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def tracking_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:64]


def tracking_digest(code: str) -> str:
    """The stored form of a code: an HMAC under the site's secret, so neither the database
    nor a backup yields a code that works on the tracking page."""
    return salted_hmac("public.tracking", tracking_normalise(code)).hexdigest()


def petition_submit_online(*, council: Council, data: dict[str, Any]) -> tuple[Petition, str]:
    """Register a petition sent on the public portal: the challenge first, then one
    transaction (the petition, its item, its petitioner encrypted by the intake service, the
    attachments encrypted at rest, the tracking digest). Returns the petition and the code,
    which is shown once and never stored."""
    challenge_check(data.get("challenge", ""), data.get("answer", ""))
    today = timezone.localdate()
    contact = data.get("address", "")
    if data.get("email"):
        contact = f"{contact}\n{_('E-mail')}: {data['email']}".strip()
    code = tracking_code_new()
    with transaction.atomic():
        petition = petition_receive(
            council=council,
            channel=Channel.ONLINE,
            received_on=today,
            subject=data["subject"],
            items=[
                ItemData(
                    kind=data["kind"],
                    field=data["field"],
                    content=data["content"],
                    locality=data.get("locality", ""),
                )
            ],
            people=[
                PersonData(
                    full_name=data.get("full_name", ""),
                    address=contact,
                    phone=data.get("phone", ""),
                    is_representative=True,
                )
            ],
            is_anonymous=False,
            by=None,
        )
        petition.tracking_digest = tracking_digest(code)
        petition.save(update_fields=["tracking_digest"])
        for upload in data.get("attachments", []):
            petition_scan_attach(petition=petition, upload=upload, by=None)
    if data.get("email"):
        email = data["email"]
        context = {"code": code, "council": council.name, "received_on": today}
        transaction.on_commit(lambda: _send_code(email, context))
    return petition, code


def _send_code(email: str, context: dict[str, Any]) -> None:
    """After the commit: a mail server that fails loses the mail, never the petition (the
    code was shown on the page)."""
    from councilportal.notifications.emails import send_email

    try:
        send_email("public-tracking-code", [email], context)
    except Exception:  # noqa: BLE001 - logged, the petition stands
        logger.exception("The tracking code e-mail could not be sent.")


@dataclass
class TrackedItem:
    kind: str
    status: str
    agency: str = ""
    forwarded_on: dt.date | None = None
    answers: list[Any] = field(default_factory=list)


@dataclass
class Tracked:
    """What the tracking page shows: the citizen's own petition, nothing confidential (no
    register number, no names, no notes of the handlers)."""

    council: str
    received_on: dt.date
    channel: str
    status: str
    items: list[TrackedItem]


def tracking_lookup(code: str) -> Tracked | None:
    """The petition of a tracking code, or None. One indexed equality on the digest (the code
    is never compared character by character), then the digests compared in constant time."""
    digest = tracking_digest(code)
    petition = (
        Petition.objects.filter(tracking_digest=digest)
        .select_related("council")
        .prefetch_related("items__follow_up__to_agency", "items__follow_up__answers")
        .first()
    )
    if petition is None or not hmac.compare_digest(petition.tracking_digest or "", digest):
        return None
    from petitions.models import Status

    items = []
    item: PetitionItem
    for item in petition.items.all():
        follow_up = item.follow_up
        tracked = TrackedItem(
            kind=str(ItemKind(item.kind).label),
            status=str(Status(item.status_on(timezone.localdate())).label),
        )
        if follow_up is not None:
            tracked.agency = str(follow_up.to_agency or "")
            tracked.forwarded_on = follow_up.sent_on
            if item.answer_published:
                tracked.answers = sorted(follow_up.answers.all(), key=lambda a: a.received_on)
        items.append(tracked)
    return Tracked(
        council=petition.council.name,
        received_on=petition.received_on,
        channel=str(Channel(petition.channel).label),
        status=str(Status(petition.status_on()).label),
        items=items,
    )


def attachment_set_published(*, attachment: Attachment, published: bool) -> Attachment:
    """Publish a file of a public record on the portal (or withdraw it); an encrypted file is
    never published."""
    if published and attachment.encrypted:
        raise ValueError("an encrypted file is never public")
    attachment.published = published
    attachment.save(update_fields=["published"])
    return attachment


def item_answer_set_published(*, item: PetitionItem, published: bool) -> PetitionItem:
    item.answer_published = published
    item.save(update_fields=["answer_published"])
    return item
