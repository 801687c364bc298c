"""Seller center forms for keyword ads (shapes only; the ads services check
the rules and their refusals come back next to the field)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=80)
    daily_budget = forms.DecimalField(label=_("Daily budget (CNY)"), **MONEY)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hour_from = forms.IntegerField(
        label=_("Show from hour"), min_value=0, max_value=24, initial=0
    )
    hour_to = forms.IntegerField(
        label=_("Show until hour"), min_value=0, max_value=24, initial=24
    )
    product_ids = forms.TypedMultipleChoiceField(
        label=_("Products"), coerce=int, choices=()
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_ids"].choices = list(products)


class KeywordForm(forms.Form):
    text = forms.CharField(label=_("Keyword"), max_length=60)
    bid = forms.DecimalField(label=_("Bid per click (CNY)"), **MONEY)
    match = forms.ChoiceField(
        label=_("Match"),
        choices=[("broad", _("Broad")), ("exact", _("Exact"))],
        initial="broad",
    )


class BidForm(forms.Form):
    bid = forms.DecimalField(label=_("Bid per click (CNY)"), **MONEY)
