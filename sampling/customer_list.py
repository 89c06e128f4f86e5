"""Reading an uploaded list of recent purchases (CSV): one row per purchase with the customer's
e-mail or phone, the salesperson and the date. Every row is checked; a file with any bad row is
refused whole, with each problem by its row number as a spreadsheet shows it (the header is
row 1). Finnish Excel writes semicolons and Windows-1252, other tools commas and UTF-8: both are
read. Headers may be in Finnish, Swedish or English."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.contacts import normalised_phone

MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
MAX_AGE_DAYS = 365
ERRORS_SHOWN = 20
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15

# Header names after ``_header_name`` (lower case, without spaces, dashes, dots, underscores).
HEADERS = {
    "email": {"email", "sähköposti", "sahkoposti", "sposti", "epost", "mail", "emailaddress"},
    "phone": {
        "phone", "phonenumber", "mobile", "puhelin", "puhelinnumero", "puh", "puhnro",
        "matkapuhelin", "gsm", "telefon", "telefonnummer", "mobil", "mobiili", "tel",
    },
    "salesperson": {"salesperson", "seller", "myyjä", "myyja", "säljare", "saljare", "myyjännimi"},
    "date": {
        "dateofpurchase", "purchasedate", "purchasedon", "date", "ostopäivä", "ostopaiva",
        "ostopäivämäärä", "ostopvm", "päivämäärä", "paivamaara", "pvm", "köpdatum", "datum",
        "inköpsdatum",
    },
}  # fmt: skip
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%Y/%m/%d")


@dataclass(frozen=True)
class Purchase:
    """One valid row: the customer (e-mail lower case, or a normalised phone) and whom they
    bought from, when."""

    row: int
    email: str
    phone: str
    salesperson_id: int
    purchased_on: date

    @property
    def customer(self) -> str:
        """Who the customer is for the draw: the e-mail, else the phone."""
        return self.email or self.phone


@dataclass(frozen=True)
class CustomerList:
    purchases: list[Purchase]
    sha256: str


def _header_name(text: str) -> str:
    return re.sub(r"[\s\-._]", "", text.strip().lower())


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Finnish Windows


def _dialect(text: str):
    first = text.split("\n", 1)[0]
    counts = {delimiter: first.count(delimiter) for delimiter in ";,\t"}
    delimiter = max(counts, key=counts.get)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter if counts[delimiter] else ","
    return Dialect


def _parse_date(text: str) -> date | None:
    text = text.strip().split(" ")[0].split("T")[0]
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def read_customer_list(data: bytes, *, salespeople, today: date) -> CustomerList:
    """The purchases of the file, or ``ValidationError`` with every problem found (by row).
    ``salespeople``: those the uploader may sample, matched by name (case aside)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 1_000_000}
        )
    text = _decode(data)
    rows = list(csv.reader(io.StringIO(text), _dialect(text)))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationError(_("The file is empty."))
    columns = _columns(rows[0])
    by_name: dict[str, list[int]] = {}
    for person in salespeople:
        by_name.setdefault(person.name.strip().casefold(), []).append(person.pk)
    oldest = today - timedelta(days=MAX_AGE_DAYS)
    purchases, errors = [], []
    data_rows = [
        (number, row) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)
    ]
    if not data_rows:
        raise ValidationError(_("The file has a header but no customers."))
    if len(data_rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(count)d rows; at most %(max)d at once.")
            % {"count": len(data_rows), "max": MAX_ROWS}
        )
    for number, row in data_rows:
        cell = {
            key: (row[index].strip() if index < len(row) else "") for key, index in columns.items()
        }
        problems = []
        email, phone = cell.get("email", ""), cell.get("phone", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(value)s” is not an e-mail address") % {"value": email})
        if phone:
            digits = normalised_phone(phone).lstrip("+")
            if not re.fullmatch(r"[+\d][\d \-().\/]*", phone) or not (
                MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS
            ):
                problems.append(_("“%(value)s” is not a phone number") % {"value": phone})
        if not email and not phone:
            problems.append(_("no e-mail address or phone number"))
        name = cell["salesperson"]
        matches = by_name.get(name.casefold(), [])
        if not name:
            problems.append(_("no salesperson"))
        elif not matches:
            problems.append(_("no salesperson “%(name)s” in your teams") % {"name": name})
        elif len(matches) > 1:
            problems.append(_("several salespeople are called “%(name)s”") % {"name": name})
        purchased_on = _parse_date(cell["date"])
        if not cell["date"]:
            problems.append(_("no date of purchase"))
        elif purchased_on is None:
            problems.append(
                _("“%(value)s” is not a date (write e.g. 30.11.2026 or 2026-11-30)")
                % {"value": cell["date"]}
            )
        elif purchased_on > today:
            problems.append(_("the date of purchase is in the future"))
        elif purchased_on < oldest:
            problems.append(_("the purchase is older than %(days)d days") % {"days": MAX_AGE_DAYS})
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
            continue
        purchases.append(
            Purchase(
                row=number,
                email=email.lower(),
                phone="" if email else normalised_phone(phone),
                salesperson_id=matches[0],
                purchased_on=purchased_on,
            )
        )
    if errors:
        shown = errors[:ERRORS_SHOWN]
        if len(errors) > ERRORS_SHOWN:
            more = len(errors) - ERRORS_SHOWN
            shown.append(
                ngettext("…and %(count)d more row.", "…and %(count)d more rows.", more)
                % {"count": more}
            )
        raise ValidationError(shown)
    return CustomerList(purchases=purchases, sha256=hashlib.sha256(data).hexdigest())


def _columns(header: list[str]) -> dict[str, int]:
    """{"email"/"phone"/"salesperson"/"date": column index} from the header row."""
    columns = {}
    for index, title in enumerate(header):
        name = _header_name(title)
        for key, names in HEADERS.items():
            if name in names and key not in columns:
                columns[key] = index
    missing = []
    if "email" not in columns and "phone" not in columns:
        missing.append(_("e-mail or phone"))
    if "salesperson" not in columns:
        missing.append(_("salesperson"))
    if "date" not in columns:
        missing.append(_("date of purchase"))
    if missing:
        raise ValidationError(
            _(
                "The first row must name the columns. Missing: %(missing)s. Found: %(found)s. "
                "Accepted names include sähköposti/e-mail, puhelin/phone, myyjä/salesperson "
                "and ostopäivä/date."
            )
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(title.strip() for title in header if title.strip()) or "—",
            }
        )
    return columns
