"""Forms of the C2C trade rating pages (the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

VERDICTS = [("good", _("Good")), ("neutral", _("Neutral")), ("bad", _("Bad"))]
SCORES = [(str(n), str(n)) for n in range(5, 0, -1)]


class TradeRatingForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your rating"), choices=VERDICTS, widget=forms.RadioSelect
    )
    description = forms.TypedChoiceField(
        label=_("Item as described"), choices=SCORES, coerce=int
    )
    service = forms.TypedChoiceField(
        label=_("Seller's service"), choices=SCORES, coerce=int
    )
    logistics = forms.TypedChoiceField(
        label=_("Delivery speed"), choices=SCORES, coerce=int
    )
    text = forms.CharField(
        label=_("Tell other buyers about this trade"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendRatingForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Change your rating to"), choices=VERDICTS, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your words"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
