"""Free shop opening: the identity behind an individual seller's shop."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.core.accounts.models import Shop
from emporia.kernel import clock


class SellerIdentity(models.Model):
    """SellerIdentity — 个人开店实名认证: who stands behind an individual shop.

    No business licence, only a person: real name, resident ID number and
    mobile. The ID number is never stored: only a masked form for display
    (``110***********123X``) and a keyed hash (HMAC with the platform's
    secret) so one person opens one shop.
    """

    shop = models.OneToOneField(
        Shop, on_delete=models.PROTECT, related_name="c2c_identity"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    real_name = models.CharField(max_length=40)
    id_number_masked = models.CharField(max_length=18)
    id_number_hash = models.CharField(max_length=64, unique=True)
    mobile = models.CharField(max_length=20)
    verified_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return f"{self.real_name} ({self.id_number_masked})"
