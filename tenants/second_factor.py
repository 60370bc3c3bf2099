"""The second factor of a network account: one TOTP app and ten recovery codes per person.

The device belongs to the ``NetworkAccount`` (public schema), not to a portal's local
user: an app set up once is asked at every portal where the person holds a role, and a
wrong code counts against the person everywhere. django-otp supplies the TOTP algorithm
(``django_otp.oath.TOTP``) and the key generator; its own device models key on the user
of the schema in use (one per portal), so they are not used and ``django_otp`` is not an
installed app. Written here by hand, small: the bookkeeping of a device (the last step
used, so that a code is never accepted twice), recovery codes (salted SHA-256, single
use) and the count of wrong codes.

Who must have one is a question of roles in a portal: ``core.second_factor`` answers it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.util import random_hex

from tenants.accounts import NetworkAccount
from tenants.journal import record
from tenants.models import NetworkAction

ISSUER = "Quartiers"
# A code of the step before or after the current one is accepted: a phone's clock a few
# seconds off, or a code typed as it changed.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# Wrong codes (from any portal, or the space) that lock the code step of an account.
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)


class SecondFactorDevice(models.Model):
    """A person's TOTP app: the shared key and the last time step a code was used for."""

    account = models.OneToOneField(
        NetworkAccount, on_delete=models.CASCADE, related_name="second_factor"
    )
    key = models.CharField(_("clé"), max_length=80, help_text=_("Hexadécimal (django-otp)."))
    last_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("double authentification")
        verbose_name_plural = _("doubles authentifications")

    def __str__(self) -> str:
        return f"{self.account_id}"


class RecoveryCode(models.Model):
    """One of the ten codes shown once at enrolment, for a lost phone: only its hash."""

    account = models.ForeignKey(
        NetworkAccount, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self) -> str:
        return f"{self.account_id}:{self.pk}"


class SecondFactorFailure(models.Model):
    """A wrong code typed for an account, wherever: five in 15 minutes lock the code step."""

    account = models.ForeignKey(
        NetworkAccount, on_delete=models.CASCADE, related_name="second_factor_failures"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    portal = models.CharField(max_length=63, blank=True)
    # A portal's own account whose e-mail is not proven its owner's (``portal:pk``): its
    # wrong codes hold that sign-in only. Otherwise whoever typed someone's address into
    # their own account could lock its owner out.
    unproven_sign_in = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("code erroné")
        verbose_name_plural = _("codes erronés")

    def __str__(self) -> str:
        return f"{self.account_id}@{self.at:%Y-%m-%d %H:%M}"


# --- Keys and codes


def new_key() -> str:
    """A fresh TOTP key (20 random bytes, hexadecimal as django-otp writes them)."""
    return random_hex(20)


def totp(key: str) -> TOTP:
    """django-otp's TOTP for ``key`` (30 s steps, 6 digits), at a time read once: the
    step a code is checked against and the step recorded as used are the same one, even
    on a step's boundary."""
    algorithm = TOTP(bytes.fromhex(key))
    algorithm.time = time.time()
    return algorithm


def current_code(key: str, offset: int = 0) -> str:
    """The code an app holding ``key`` shows now (``offset`` steps later or earlier)."""
    algorithm = totp(key)
    algorithm.drift = offset
    return f"{algorithm.token():06d}"


def base32_key(key: str) -> str:
    """``key`` as apps want it typed by hand: base32, no padding."""
    return base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")


def provisioning_uri(email: str, key: str) -> str:
    """The ``otpauth://`` address a QR code carries for an app to add the account."""
    label = quote(f"{ISSUER}:{email}")
    return f"otpauth://totp/{label}?secret={base32_key(key)}&issuer={ISSUER}"


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG element (no file, no image request)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # The XML declaration is not allowed inside HTML.
    return svg[svg.index("<svg") :]


def normal_code(code: str) -> str:
    """A typed code without spaces or dashes, lower case (apps show "123 456"). ASCII only:
    other digits (Arabic-Indic, full width) are no app's, and ``hmac.compare_digest``
    raises on them."""
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isalnum()).lower()[:32]


def _hash_recovery(code: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{normal_code(code)}".encode()).hexdigest()
    return f"{salt}${digest}"


def _recovery_matches(code: str, stored: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(_hash_recovery(code, salt), stored)


# --- A person's device


def device_of(account: NetworkAccount | None) -> SecondFactorDevice | None:
    """The account's TOTP device, or None."""
    if account is None:
        return None
    return SecondFactorDevice.objects.filter(account=account).first()


def _step_accepted(device: SecondFactorDevice, code: str) -> bool:
    """Whether ``code`` is the device's for a step near now that was never used; the step
    is spent in the same conditional UPDATE, so two requests racing with one code cannot
    both pass."""
    if not (len(code) == 6 and code.isdigit()):
        return False
    algorithm = totp(device.key)
    now = algorithm.t()
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        algorithm.drift = offset
        if hmac.compare_digest(f"{algorithm.token():06d}", code):
            step = now + offset
            return bool(
                SecondFactorDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
                    last_step=step
                )
            )
    return False


def _recovery_accepted(account: NetworkAccount, code: str) -> bool:
    for recovery in RecoveryCode.objects.filter(account=account, used_at__isnull=True):
        if _recovery_matches(code, recovery.code_hash):
            # Single use, even between two requests racing with the same code.
            return bool(
                RecoveryCode.objects.filter(pk=recovery.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
            )
    return False


def locked_until(account: NetworkAccount, unproven_sign_in: str = "") -> datetime | None:
    """When the code step opens again for ``account`` after too many wrong codes, or None.
    With ``unproven_sign_in``, for that sign-in only (``SecondFactorFailure``)."""
    since = timezone.now() - FAILURE_WINDOW
    failures = list(
        SecondFactorFailure.objects.filter(
            account=account, unproven_sign_in=unproven_sign_in, at__gt=since
        )
        .order_by("-at")
        .values_list("at", flat=True)[:FAILURE_LIMIT]
    )
    if len(failures) < FAILURE_LIMIT:
        return None
    return failures[-1] + FAILURE_WINDOW


def check_code(
    account: NetworkAccount, code: str, portal: str = "", unproven_sign_in: str = ""
) -> bool:
    """Whether ``code`` (the app's, or an unused recovery code) proves ``account``'s
    second factor. A wrong one is counted (see ``locked_until``, which callers ask first)."""
    code = normal_code(code)
    device = device_of(account)
    if device is not None and (
        _step_accepted(device, code) or (len(code) > 6 and _recovery_accepted(account, code))
    ):
        return True
    SecondFactorFailure.objects.create(
        account=account, portal=portal[:63], unproven_sign_in=unproven_sign_in
    )
    return False


def new_recovery_codes() -> list[str]:
    """Ten codes to write down, ``xxxxx-xxxxx`` (lower-case letters and digits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


@transaction.atomic
def enrol(account: NetworkAccount, key: str, code: str, portal: str = "") -> list[str] | None:
    """Give ``account`` the device of ``key`` once ``code`` proves the app holds it:
    returns the recovery codes (to show once), or None for a wrong code (counted)."""
    code = normal_code(code)
    algorithm = totp(key)
    now = algorithm.t()
    step = None
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        algorithm.drift = offset
        if len(code) == 6 and hmac.compare_digest(f"{algorithm.token():06d}", code):
            step = now + offset
            break
    if step is None:
        SecondFactorFailure.objects.create(account=account, portal=portal[:63])
        return None
    SecondFactorDevice.objects.update_or_create(
        account=account, defaults={"key": key, "last_step": step}
    )
    return set_recovery_codes(account)


def set_recovery_codes(account: NetworkAccount, codes: list[str] | None = None) -> list[str]:
    """Replace ``account``'s recovery codes (new random ones unless ``codes`` is given)."""
    codes = codes or new_recovery_codes()
    RecoveryCode.objects.filter(account=account).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(account=account, code_hash=_hash_recovery(code, secrets.token_hex(8)))
        for code in codes
    )
    return codes


def give_device(account: NetworkAccount, key: str) -> SecondFactorDevice:
    """Give ``account`` the device of ``key`` without a code (the demo's fixed key, and
    factories): a person enrols through ``enrol``."""
    device, _created = SecondFactorDevice.objects.update_or_create(
        account=account, defaults={"key": key, "last_step": -1}
    )
    return device


@transaction.atomic
def reset(account: NetworkAccount, who: object | None) -> bool:
    """Remove ``account``'s device, recovery codes and wrong codes (a lost phone), written
    to the network's journal. The person enrols again at their next sign-in if their
    role requires it. Returns whether there was a device."""
    had = SecondFactorDevice.objects.filter(account=account).delete()[0] > 0
    RecoveryCode.objects.filter(account=account).delete()
    SecondFactorFailure.objects.filter(account=account).delete()
    record(
        who, NetworkAction.Action.SECOND_FACTOR_RESET, "reseau", email=account.email, had_device=had
    )
    return had
