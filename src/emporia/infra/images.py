"""Checking uploaded pictures before anything is stored.

Product pictures, shop logos and banners all come from people's browsers;
this module is the one place that decides whether an upload is a real image
we are willing to keep. It opens the bytes with Pillow (never trusting the
file name or the declared content type), refuses anything that is not JPEG,
PNG or WebP, bigger than the byte limit, or with so many pixels that decoding
it would exhaust memory.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from emporia.kernel.errors import ValidationFailed

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def read_image(
    upload, *, field: str = "image", max_bytes: int = MAX_IMAGE_BYTES
) -> tuple[bytes, str]:
    """The upload's bytes and file extension (``jpg``/``png``/``webp``) if it
    is a readable JPEG, PNG or WebP of at most ``max_bytes``; otherwise
    ValidationFailed naming ``field``. Reads at most ``max_bytes + 1`` bytes."""
    limit = f"{max_bytes // (1024 * 1024)} MB"
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationFailed(f"An image is at most {limit}", field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationFailed(f"An image is at most {limit}", field=field)
    if not data:
        raise ValidationFailed("The image file is empty", field=field)
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationFailed("The image has too many pixels", field=field)
            img.verify()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationFailed("The image has too many pixels", field=field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed("The file is not a readable image", field=field) from exc
    if fmt not in IMAGE_FORMATS:
        raise ValidationFailed(
            "Images must be JPEG, PNG or WebP", field=field, format=str(fmt)
        )
    return data, IMAGE_FORMATS[fmt]
