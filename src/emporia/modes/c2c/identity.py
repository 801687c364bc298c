"""Pure checks of a person's identity details: the Chinese resident ID
number (GB 11643, ISO 7064 MOD 11-2 check character) and mobile numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from emporia.kernel import clock
from emporia.kernel.errors import ValidationFailed

ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
NAME_RE = re.compile(r"^[\w·• .'-]{2,40}$")


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number for its first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize_id_number(raw: str) -> str:
    """A valid 18-character resident ID number, upper-cased, or
    ValidationFailed naming the ``id_number`` field. Checks the format, the
    date of birth (not in the future) and the MOD 11-2 check character."""
    value = re.sub(r"\s", "", str(raw or "")).upper()
    if not ID_RE.match(value):
        raise ValidationFailed(
            _("A resident ID number is 17 digits followed by a digit or X"),
            field="id_number",
        )
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationFailed(
            _("The date of birth in this ID number does not exist"),
            field="id_number",
        ) from None
    if born.year < 1900 or born > clock.now().date():
        raise ValidationFailed(
            _("The date of birth in this ID number is not possible"),
            field="id_number",
        )
    if id_check_char(value[:17]) != value[17]:
        raise ValidationFailed(
            _("This ID number's check character is wrong; please check it"),
            field="id_number",
        )
    return value


def mask_id_number(value: str) -> str:
    """Keep the region code and the last four characters: ``110***********123X``."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def normalize_mobile(raw: str) -> str:
    """A mainland mobile number (11 digits starting 13–19), ``+86`` allowed."""
    value = re.sub(r"[\s-]", "", str(raw or ""))
    if value.startswith("+86"):
        value = value[3:]
    if not MOBILE_RE.match(value):
        raise ValidationFailed(
            _("A mobile number is 11 digits starting with 1"), field="mobile"
        )
    return value


def normalize_real_name(raw: str) -> str:
    value = " ".join(str(raw or "").split())
    if not NAME_RE.match(value) or any(c.isdigit() for c in value):
        raise ValidationFailed(
            _("Give your real name as on your ID card (2 to 40 characters)"),
            field="real_name",
        )
    return value
