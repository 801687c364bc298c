"""Validation rules for catalog input: pure functions that clean a value or
raise ``ValidationFailed`` naming the field, so services stay short and the
same rules hold whichever face (API, web, seeder) calls them."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import known_currencies

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}$")
SKU_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")
REQUIRED_LANGUAGES = ("zh-hans", "en")

MAX_LANGUAGES = 10
MAX_NAME = 200
MAX_DESCRIPTION = 20_000
MAX_BRAND = 80
MAX_SKUS = 200
MAX_ATTRIBUTES = 10
MAX_ATTRIBUTE_KEY = 40
MAX_ATTRIBUTE_VALUE = 80
MAX_SPECS_JSON = 10_000
MAX_PRICE = Decimal(10**9)
PRICE_PLACES = 4
PRICE_QUANTUM = Decimal("0.0001")
MAX_WEIGHT_GRAMS = 10**7


def texts(value, *, field: str, max_length: int, required: bool) -> dict[str, str]:
    """A translated-text object ``{"zh-hans": "…", "en": "…"}``, stripped.

    When ``required``, Chinese (zh-hans) or English text must be present.
    """
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ValidationFailed(
            _("%(field)s must be an object keyed by language code") % {"field": field},
            field=field,
        )
    if len(value) > MAX_LANGUAGES:
        raise ValidationFailed(
            _("%(field)s has more than %(max)s languages")
            % {"field": field, "max": MAX_LANGUAGES},
            field=field,
        )
    cleaned: dict[str, str] = {}
    for language, text in value.items():
        if not isinstance(language, str) or not LANGUAGE_RE.match(language):
            raise ValidationFailed(
                _(
                    "%(field)s: %(code)s is not a language code such as "
                    "'zh-hans' or 'en'"
                )
                % {"field": field, "code": repr(str(language)[:20])},
                field=field,
            )
        if not isinstance(text, str):
            raise ValidationFailed(
                _("%(field)s.%(language)s must be text")
                % {"field": field, "language": language},
                field=field,
            )
        text = text.strip()
        if len(text) > max_length:
            raise ValidationFailed(
                _("%(field)s.%(language)s is too long (at most %(max)s characters)")
                % {"field": field, "language": language, "max": max_length},
                field=field,
            )
        if text:
            cleaned[language] = text
    if required and not any(cleaned.get(code) for code in REQUIRED_LANGUAGES):
        raise ValidationFailed(
            _("%(field)s needs Chinese (zh-hans) or English (en) text")
            % {"field": field},
            field=field,
        )
    return cleaned


def names(value) -> dict[str, str]:
    return texts(value, field="names", max_length=MAX_NAME, required=True)


def descriptions(value) -> dict[str, str]:
    return texts(
        value, field="descriptions", max_length=MAX_DESCRIPTION, required=False
    )


def brand(value) -> str:
    value = (value or "").strip()
    if not isinstance(value, str) or len(value) > MAX_BRAND:
        raise ValidationFailed(
            _("brand is at most %(max)s characters") % {"max": MAX_BRAND},
            field="brand",
        )
    return value


def specs(value) -> dict:
    """Free-form specifications: a flat object of text, number or yes/no values."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(_("specs must be an object"), field="specs")
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or len(key) > 60:
            raise ValidationFailed(
                _("specs keys are 1 to 60 characters of text"), field="specs"
            )
        if not isinstance(item, str | int | float | bool) or item is None:
            raise ValidationFailed(
                _("specs.%(key)s must be text, a number or true/false") % {"key": key},
                field="specs",
            )
    if len(json.dumps(value, ensure_ascii=False)) > MAX_SPECS_JSON:
        raise ValidationFailed(
            _("specs are too large (at most %(max)s characters)")
            % {"max": MAX_SPECS_JSON},
            field="specs",
        )
    return value


def price(value) -> Decimal:
    """A unit price: a Decimal 0 … 10^9 with at most four decimal places."""
    if isinstance(value, bool | float):
        raise ValidationFailed(
            _("price must be a decimal string such as '19.90'"), field="price"
        )
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise ValidationFailed(
            _("%(value)s is not a price") % {"value": repr(str(value)[:30])},
            field="price",
        ) from exc
    if not amount.is_finite():
        raise ValidationFailed(_("price must be a finite number"), field="price")
    if amount < 0 or amount > MAX_PRICE:
        raise ValidationFailed(
            _("price must be between 0 and %(max)s") % {"max": MAX_PRICE},
            field="price",
        )
    if amount != amount.quantize(PRICE_QUANTUM):
        raise ValidationFailed(
            _("price has more than %(places)s decimal places")
            % {"places": PRICE_PLACES},
            field="price",
        )
    return amount.quantize(PRICE_QUANTUM)


def currency(value) -> str:
    if not isinstance(value, str) or value not in known_currencies():
        raise ValidationFailed(
            _("%(value)s is not an ISO 4217 currency code")
            % {"value": repr(str(value)[:10])},
            field="currency",
        )
    return value


def sku_code(value) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or not SKU_CODE_RE.match(value):
        raise ValidationFailed(
            _(
                "A SKU code is 1 to 64 letters, digits, '.', '_', '-' or '/', "
                "starting with a letter or digit"
            ),
            field="code",
        )
    return value


def attributes(value) -> dict[str, str]:
    """Variant attributes such as ``{"颜色": "红色", "尺码": "M"}``: text only."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(_("attributes must be an object"), field="attributes")
    if len(value) > MAX_ATTRIBUTES:
        raise ValidationFailed(
            _("A SKU has at most %(max)s attributes") % {"max": MAX_ATTRIBUTES},
            field="attributes",
        )
    cleaned: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip():
            raise ValidationFailed(
                _("Attribute names must be non-empty text"), field="attributes"
            )
        if len(key) > MAX_ATTRIBUTE_KEY:
            raise ValidationFailed(
                _("Attribute names are at most %(max)s characters")
                % {"max": MAX_ATTRIBUTE_KEY},
                field="attributes",
            )
        if not isinstance(item, str):
            raise ValidationFailed(
                _("The value of attribute %(name)s must be text")
                % {"name": repr(key[:40])},
                field="attributes",
            )
        item = item.strip()
        if not item or len(item) > MAX_ATTRIBUTE_VALUE:
            raise ValidationFailed(
                _("The value of attribute %(name)s is 1 to %(max)s characters")
                % {"name": repr(key[:40]), "max": MAX_ATTRIBUTE_VALUE},
                field="attributes",
            )
        cleaned[key.strip()] = item
    return cleaned


def weight_grams(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("weight_grams must be a whole number"), field="weight")
    if not 0 <= value <= MAX_WEIGHT_GRAMS:
        raise ValidationFailed(
            _("weight_grams must be between 0 and %(max)s") % {"max": MAX_WEIGHT_GRAMS},
            field="weight",
        )
    return value
