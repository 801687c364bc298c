"""Forms for group buying pages (shapes and sizes only; the services decide)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from emporia.modes.social.services.groups import (
    MAX_STOCK_CAP,
    MAX_TEAM,
    MAX_WINDOW_MINUTES,
)


class GroupOrderForm(forms.Form):
    """Start or join a group: where to ship, how many; the idempotency key is
    generated into the page so a double submit takes one seat."""

    address_id = forms.TypedChoiceField(
        label=_("Ship to"), coerce=int, widget=forms.RadioSelect
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=999, initial=1
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=90)

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address_id"].choices = [
            (a.pk, f"{a.recipient} · {a.phone} · {a.city} {a.line1}") for a in addresses
        ]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            default = next((a.pk for a in addresses if a.is_default), None)
            if default:
                self.initial.setdefault("address_id", default)


class CampaignForm(forms.Form):
    sku_id = forms.TypedChoiceField(label=_("Product option (SKU)"), coerce=int)
    title = forms.CharField(label=_("Title"), required=False, max_length=120)
    group_price = forms.DecimalField(
        label=_("Group price"), min_value=0, max_digits=14, decimal_places=4
    )
    team_size = forms.IntegerField(
        label=_("People per group"), min_value=2, max_value=MAX_TEAM, initial=2
    )
    window_minutes = forms.IntegerField(
        label=_("Time to fill a group (minutes)"),
        min_value=10,
        max_value=MAX_WINDOW_MINUTES,
        initial=1440,
    )
    stock_cap = forms.IntegerField(
        label=_("Units at the group price"), min_value=1, max_value=MAX_STOCK_CAP
    )
    per_buyer_limit = forms.IntegerField(
        label=_("Limit per buyer"), min_value=1, max_value=999, initial=1
    )

    def __init__(self, *args, skus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku_id"].choices = skus
