"""Forms for the storefront and the buyer's account. They check shapes and
sizes; the services check the rules and their refusals come back as errors
next to the field (see ``views.common.form_error``)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from emporia.core.search.selectors import SORTS

MAX_QTY = 9999


class SignupForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=_("Give an email address, a mobile number, or both."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("mobile"):
            raise forms.ValidationError(_("Give an email address or a mobile number."))
        return data


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AddressForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    country = forms.CharField(label=_("Country code"), max_length=2, initial="CN")
    province = forms.CharField(label=_("Province"), max_length=60, required=False)
    city = forms.CharField(label=_("City"), max_length=60)
    district = forms.CharField(label=_("District"), max_length=60, required=False)
    line1 = forms.CharField(label=_("Street address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    is_default = forms.BooleanField(label=_("Make this my default"), required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    min_price = forms.DecimalField(
        label=_("Lowest price"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    max_price = forms.DecimalField(
        label=_("Highest price"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("relevance", _("Best match")),
            ("sales", _("Best selling")),
            ("rating", _("Top rated")),
            ("price_asc", _("Price: low to high")),
            ("price_desc", _("Price: high to low")),
            ("newest", _("Newest")),
        ],
    )

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or "relevance"
        return sort if sort in SORTS else "relevance"


class AddToCartForm(forms.Form):
    sku_id = forms.IntegerField(label=_("Option"), min_value=1)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QTY, initial=1
    )


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_QTY)


class CheckoutForm(forms.Form):
    """The idempotency key is generated into the page: submitting the same page
    twice places the orders once."""

    address_id = forms.TypedChoiceField(
        label=_("Ship to"), coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the shop"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # Chosen in the order summary (it re-prices the page), carried here.
    use_credit = forms.BooleanField(required=False, widget=forms.HiddenInput)

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


class ReviewForm(forms.Form):
    RATINGS = [(i, str(i)) for i in range(5, 0, -1)]
    rating = forms.TypedChoiceField(
        label=_("Rating (5 is best)"), choices=RATINGS, coerce=int, initial=5
    )
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShopReviewForm(ReviewForm):
    pass


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you returning it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, order_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = list(order_lines)
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("Units of %(name)s to return")
                % {"name": f"{line.product_name} {line.sku_label}".strip()},
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
                required=False,
            )

    def lines(self) -> list[tuple[int, int]]:
        return [
            (line.pk, self.cleaned_data.get(f"line_{line.pk}") or 0)
            for line in self.order_lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]


class ShipBackForm(forms.Form):
    """The parcel a buyer sends back for an approved return."""

    carrier = forms.CharField(label=_("Carrier"), max_length=40)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
