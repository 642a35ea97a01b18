"""Encryption at rest of denouncers' identity (Law on Denunciations 2018, arts 9, 47, 49).

- `EncryptedTextField` stores MultiFernet ciphertext. In Python its value is a `Sealed` object
  whose text is the redaction label: a template, a form, an export or the admin that prints it
  by mistake prints "Người tố cáo (bảo mật)", never the identity. The plaintext comes out only
  through `petitions.confidential.reveal()`, which writes the access log.
- `blind_index()` is an HMAC-SHA256 of the normalised value for exact-match lookups (the same
  petitioner on a second petition) without decrypting anything.
- `encrypt_bytes()`/`decrypt_bytes()` do the same for confidential files (scans, unredacted
  letters): stored as MultiFernet tokens, opened only by the access-checked download views.
- Keys come from settings.FIELD_ENCRYPTION_KEYS (newest first; older keys still decrypt, and
  `manage.py rotate_field_keys` re-encrypts with the newest) and FIELD_BLIND_INDEX_KEY. When
  unset with DEBUG on or in the demo (DEMO=1; the test suite runs so), development keys are
  generated once into VAR_DIR/field-keys.json (git-ignored); with DEBUG off they are required.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import time
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from councilportal.web.text import search_normalise

REDACTED = _("Denouncer (confidential)")


def _read_keys(path: Any) -> dict[str, Any]:
    # Another process may have created the file a moment ago and still be writing it.
    for _attempt in range(50):
        try:
            return json.loads(path.read_text())
        except (json.JSONDecodeError, FileNotFoundError):
            time.sleep(0.02)
    return json.loads(path.read_text())


def _dev_keys() -> dict[str, Any]:
    path = settings.VAR_DIR / "field-keys.json"
    if path.exists():
        return _read_keys(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = {
        "encryption": [Fernet.generate_key().decode()],
        "blind_index": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    # Created exclusively: of two processes starting together, the second reads the first's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_keys(path)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    return keys


@functools.lru_cache(maxsize=1)
def _keys() -> tuple[MultiFernet, bytes]:
    encryption = list(settings.FIELD_ENCRYPTION_KEYS)
    index_key = settings.FIELD_BLIND_INDEX_KEY
    if bool(encryption) != bool(index_key):
        # Half a configuration is a production mistake: never fall back to a generated key.
        raise ImproperlyConfigured(
            "Set both FIELD_ENCRYPTION_KEYS and FIELD_BLIND_INDEX_KEY, or neither (development)."
        )
    if not encryption:
        from councilportal.security.secrets import explain, generated_secrets_allowed

        if not generated_secrets_allowed():
            # Keys made up on one machine would differ on the next: never in production.
            raise ImproperlyConfigured(explain(["FIELD_ENCRYPTION_KEYS", "FIELD_BLIND_INDEX_KEY"]))
        dev = _dev_keys()
        encryption = encryption or dev["encryption"]
        index_key = index_key or dev["blind_index"]
    return MultiFernet([Fernet(k.encode()) for k in encryption]), index_key.encode()


def forget_keys() -> None:
    _keys.cache_clear()


def encrypt(text: str) -> str:
    return _keys()[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        # A key was removed from the settings while data still uses it: say so, never crash.
        return "?"


def rotate(token: str) -> str:
    return _keys()[0].rotate(token.encode()).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """A confidential file's content as stored (the signature scan, the unredacted letter)."""
    return _keys()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """A stored confidential file in clear; raises InvalidToken when no key in the settings
    opens it (a key dropped too early)."""
    return _keys()[0].decrypt(token)


def rotate_bytes(token: bytes) -> bytes:
    return _keys()[0].rotate(token)


def blind_index(text: str) -> str:
    """HMAC of the normalised value (accents, case, spaces and separators ignored), or ""."""
    value = "".join(ch for ch in search_normalise(text) if ch.isalnum())
    if not value:
        return ""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()


class Sealed:
    """An encrypted value as Python sees it: prints as the redaction label."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return str(REDACTED) if self.token else ""

    def __repr__(self) -> str:
        return "<Sealed>"

    def __bool__(self) -> bool:
        return bool(self.token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class EncryptedTextField(models.TextField):
    """A text column holding MultiFernet ciphertext; assign a plain str to encrypt it."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed:
        return Sealed(value or "")

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value
        return value  # a plain str assigned by a service, encrypted on save

    def pre_save(self, model_instance: Any, add: bool) -> Sealed:
        # Encrypt once, and leave the instance holding the sealed value: a page rendered from
        # the same object after saving, and the history copy, see ciphertext only.
        value = getattr(model_instance, self.attname)
        if not isinstance(value, Sealed):
            value = Sealed(encrypt(str(value)) if value else "")
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Sealed):
            return value.token
        value = str(value)
        return encrypt(value) if value else ""

    def value_to_string(self, obj: Any) -> str:
        # Serialisation (dumpdata, history diffs) carries ciphertext, never plaintext.
        value = self.value_from_object(obj)
        return value.token if isinstance(value, Sealed) else self.get_prep_value(value)

    def formfield(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return None  # never edited through a ModelForm (the admin included): services only
