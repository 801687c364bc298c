"""Demo: shop profiles in both languages with a logo and a banner, made
through ``accounts.update_shop`` by each shop's owner."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from emporia.core.accounts import services as accounts

PROFILES = {
    "emporia-self": (
        "Emporia Direct",
        "Self-operated: our own stock, shipped next day.",
    ),
    "yunshang": ("Yunshang Women's Fashion", "Flagship store of the Yunshang label."),
    "soundjoy": ("SoundJoy Digital", "Official store for SoundJoy headphones."),
    "sakuraya": ("Sakuraya Overseas", "Snacks and cosmetics shipped from Japan."),
    "apo-tea": ("Grandma's Tea Garden", "Tea picked and fired by hand in Anxi."),
    "xiaolin": ("Xiaolin Handmade", "Small-batch leather goods and ceramics."),
}


def _picture(rng, size: tuple[int, int], name: str) -> SimpleUploadedFile:
    """A simple two-colour PNG: a coloured field with a lighter band."""
    hue = rng.randrange(0, 360)
    image = Image.new("HSV", size, (hue * 255 // 360, 140, 200)).convert("RGB")
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse(
        (width // 4, height // 4, 3 * width // 4, 3 * height // 4),
        fill=(255, 255, 255),
    )
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def seed(seeder) -> None:
    w = seeder.world
    for key, (name_en, about_en) in PROFILES.items():
        shop = w.shops.get(key)
        if shop is None:
            continue
        owner = w.owners_by_shop_id[shop.pk]
        accounts.update_shop(
            shop_id=shop.pk,
            by=owner,
            name_en=name_en,
            description_en=about_en,
            logo=_picture(seeder.rng, (96, 96), f"{key}-logo.png"),
            banner=_picture(seeder.rng, (960, 200), f"{key}-banner.png"),
            reason="English profile and pictures",
        )
        seeder.clock.advance(minutes=1)
