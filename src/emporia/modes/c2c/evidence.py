"""Checking dispute evidence images: a real JPEG, PNG or WebP, small enough."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from emporia.kernel.errors import ValidationFailed

from . import trust_settings

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def read_evidence_image(upload) -> tuple[bytes, str]:
    """The upload's bytes and extension, or ValidationFailed (field ``image``)
    for an empty, oversized, unreadable or non-image file."""
    limit = int(trust_settings.get("C2C_EVIDENCE_MAX_BYTES"))
    too_big = ValidationFailed(
        _("An evidence image is at most %(mb)s MB") % {"mb": limit // (1024 * 1024)},
        field="image",
    )
    if (getattr(upload, "size", None) or 0) > limit:
        raise too_big
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationFailed(_("The image file is empty"), field="image")
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            if img.size[0] * img.size[1] > MAX_PIXELS:
                raise ValidationFailed(
                    _("The image has too many pixels"), field="image"
                )
            img.verify()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationFailed(
            _("The image has too many pixels"), field="image"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(
            _("The file is not a readable image"), field="image"
        ) from exc
    if fmt not in FORMATS:
        raise ValidationFailed(_("Images must be JPEG, PNG or WebP"), field="image")
    return data, FORMATS[fmt]
