"""A customer's contact as they left it: an e-mail address or a phone number, and finding it in
free text however it was typed ("040 123 4567", "+358 40-1234567", "Kaisa@Example.com")."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EMAIL_IN_TEXT = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+\.[^\s<>(),;:\"']+")
PHONE_IN_TEXT = re.compile(r"(?:\+|(?<![\d+]))\d[\d \-().\/]{4,}\d")
MIN_PHONE_DIGITS = 6
# Finnish numbers are stored as typed; "+358 40…" and "040…" are the same phone.
HOME_COUNTRY_CODE = "358"


def normalised_phone(text: str) -> str:
    """Digits only, in the national form: "+358 40-123 4567" and "0401234567" give the same."""
    text = text.strip()
    international = text.startswith("+") or text.startswith("00")
    digits = re.sub(r"\D", "", text)
    if text.startswith("00"):
        digits = digits[2:]
    if international:
        if digits.startswith(HOME_COUNTRY_CODE):
            return "0" + digits[len(HOME_COUNTRY_CODE) :]
        return "+" + digits
    return digits


@dataclass(frozen=True)
class Contact:
    """One e-mail address (lower case) or one phone number (``normalised_phone``)."""

    email: str = ""
    phone: str = ""

    @classmethod
    def parse(cls, text: str) -> "Contact":
        """The contact typed into a form; ``ValidationError`` when it is neither."""
        text = (text or "").strip()
        if "@" in text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(
                    _("“%(value)s” is not a valid e-mail address."),
                    code="invalid",
                    params={"value": text},
                ) from None
            return cls(email=text.lower())
        if re.fullmatch(r"[+\d][\d \-().\/]*", text):
            phone = normalised_phone(text)
            if len(phone.lstrip("+")) >= MIN_PHONE_DIGITS:
                return cls(phone=phone)
        raise ValidationError(
            _("Enter an e-mail address or a phone number (at least 6 digits)."), code="invalid"
        )

    def __str__(self):
        return self.email or self.phone

    def found_in(self, text: str) -> bool:
        """Whether ``text`` holds this contact, written in any usual way."""
        if not text:
            return False
        if self.email:
            return any(
                found.rstrip(".").lower() == self.email for found in EMAIL_IN_TEXT.findall(text)
            )
        return any(normalised_phone(found) == self.phone for found in PHONE_IN_TEXT.findall(text))

    def may_be_in(self, *fields: str) -> Q:
        """A database filter that keeps every row whose fields might hold the contact (a phone's
        last two digits stand next to each other however it was typed); ``found_in`` decides."""
        needle = self.email or self.phone[-2:]
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": needle})
        return condition
