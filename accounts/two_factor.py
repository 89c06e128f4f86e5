"""Two-factor sign-in with a TOTP app (django-otp's TOTP device) for leadership and admins.

Whether a session still owes its second factor is decided once, when the user logs in, and kept
in the session (``STATE_KEY``): every later request reads it without a query. A user with a
confirmed device must give a code; a leader whose organisation requires two-factor sign-in and
who has no device must set one up; everyone else goes on as before.
"""

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiakaskunto.access import organisation_of, role_of
from asiakaskunto.models import Role

STATE_KEY = "two_factor_state"
VERIFY = "verify"  # a device exists: the code comes before anything else
SET_UP = "set-up"  # required and missing: the device comes before anything else
DONE = "done"  # verified, or not asked of this user


def allowed(user) -> bool:
    """Leadership (superusers count) and admins may use two-factor sign-in."""
    return user.is_authenticated and (user.is_staff or role_of(user) == Role.LEADERSHIP)


def required(user) -> bool:
    """A leader of an organisation that requires two-factor sign-in for leadership."""
    if not user.is_authenticated or role_of(user) != Role.LEADERSHIP:
        return False
    organisation = organisation_of(user)
    return bool(organisation and organisation.require_two_factor_for_leadership)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def state_for(user) -> str:
    """What this user owes right after the password."""
    if confirmed_device(user) is not None:
        return VERIFY
    if required(user):
        return SET_UP
    return DONE


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up: the same key until it is confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def confirm(device: TOTPDevice) -> None:
    """The user proved the app works: this device is theirs, any older one goes."""
    TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove_devices(user) -> int:
    """Every TOTP device of the user (an admin does this for one who lost the phone)."""
    return TOTPDevice.objects.filter(user=user).delete()[0]


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for an app that cannot read the QR code."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no external URL)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
