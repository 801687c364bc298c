"""Forms of the C2C trust pages (free shops, disputes, pickup). Shapes and
sizes only; the c2c services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emporia.modes.c2c.states.disputes import DisputeOutcome, DisputeReason


class IndividualShopForm(forms.Form):
    shop_name = forms.CharField(label=_("Shop name"), max_length=120)
    real_name = forms.CharField(
        label=_("Real name (as on your ID card)"), max_length=40
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        help_text=_("Checked, then stored only masked; it is never shown in full."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    image = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP, optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )


class OpenDisputeForm(EvidenceForm):
    reason = forms.ChoiceField(
        label=_("What went wrong"),
        choices=[
            (DisputeReason.NOT_RECEIVED, _("Not received")),
            (DisputeReason.NOT_AS_DESCRIBED, _("Not as described")),
        ],
    )
    field_order = ["reason", "text", "image"]


class RulingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Ruling"),
        choices=[
            (DisputeOutcome.REFUND_FULL, _("Full refund")),
            (DisputeOutcome.REFUND_PARTIAL, _("Partial refund")),
            (DisputeOutcome.RELEASE, _("Release to the seller")),
        ],
    )
    refund = forms.DecimalField(
        label=_("Partial refund amount"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    note = forms.CharField(
        label=_("Reason for the ruling"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PickupForm(forms.Form):
    starts_at = forms.ChoiceField(label=_("Pickup window"))

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = windows
