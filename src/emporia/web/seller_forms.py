"""Forms for the seller center. Shapes and sizes only; the catalog, inventory,
fulfilment and payout services decide the rest."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from emporia.core.accounts.models import Shop
from emporia.core.inventory.models import Location

MAX_STOCK = 10**9


class ShopForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Seller type"),
        choices=[
            (Shop.Kind.INDIVIDUAL, _("Individual")),
            (Shop.Kind.ENTERPRISE, _("Enterprise")),
        ],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShopProfileForm(forms.Form):
    """The shop's profile in both languages, with its logo and banner. The
    pictures are checked (type, size, pixels) by ``accounts.update_shop``."""

    name = forms.CharField(label=_("Shop name (Chinese)"), max_length=120)
    name_en = forms.CharField(
        label=_("Shop name (English)"), max_length=120, required=False
    )
    description = forms.CharField(
        label=_("Description (Chinese)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    logo = forms.FileField(
        label=_("Logo (JPEG, PNG or WebP, up to 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    banner = forms.FileField(
        label=_("Banner (JPEG, PNG or WebP, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    reason = forms.CharField(
        label=_("Note for the change log"), max_length=255, required=False
    )

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        for picture in ("logo", "banner"):
            if not data.get(picture):
                data[picture] = None
        return data


def parse_attributes(text: str) -> dict[str, str]:
    """``颜色=红色; 尺码=M`` → ``{"颜色": "红色", "尺码": "M"}``."""
    out: dict[str, str] = {}
    for part in (text or "").replace("；", ";").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise forms.ValidationError(_("Write attributes as name=value; name=value"))
        out[key.strip()] = value.strip()
    return out


class ProductForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category_id = forms.TypedChoiceField(label=_("Category"), coerce=int)
    brand = forms.CharField(label=_("Brand"), max_length=80, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = list(categories)

    def names(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            k: v
            for k, v in (("zh-hans", data["name_zh"]), ("en", data["name_en"]))
            if v
        }

    def descriptions(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            k: v
            for k, v in (
                ("zh-hans", data["description_zh"]),
                ("en", data["description_en"]),
            )
            if v
        }


class SkuForm(forms.Form):
    code = forms.CharField(label=_("SKU code"), max_length=64)
    attributes = forms.CharField(
        label=_("Attributes"),
        required=False,
        max_length=500,
        help_text=_("For example: 颜色=红色; 尺码=M"),
    )
    price = forms.DecimalField(
        label=_("Price"), min_value=0, max_digits=14, decimal_places=4
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    weight_grams = forms.IntegerField(
        label=_("Weight (grams)"), min_value=0, max_value=10**7, initial=0
    )

    def clean_attributes(self):
        return parse_attributes(self.cleaned_data.get("attributes", ""))

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class NewProductForm(ProductForm):
    """A product with its first SKU."""

    code = SkuForm.base_fields["code"]
    attributes = SkuForm.base_fields["attributes"]
    price = SkuForm.base_fields["price"]
    currency = SkuForm.base_fields["currency"]

    def clean_attributes(self):
        return parse_attributes(self.cleaned_data.get("attributes", ""))

    def sku(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "attributes": data["attributes"],
            "price": data["price"],
            "currency": data["currency"].upper(),
        }


class SkuUpdateForm(forms.Form):
    sku_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    price = forms.DecimalField(
        label=_("Price"), min_value=0, max_digits=14, decimal_places=4
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Listing"),
        choices=[
            ("listed", _("Listed")),
            ("delisted", _("Delisted")),
            ("draft", _("Draft")),
        ],
    )


class ImageForm(forms.Form):
    image = forms.ImageField(label=_("Picture (JPEG, PNG or WebP, up to 5 MB)"))
    alt = forms.CharField(
        label=_("Describe the picture"), max_length=200, required=False
    )


class StockSetUpForm(forms.Form):
    sku_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    location_id = forms.TypedChoiceField(label=_("Location"), coerce=int)
    quantity = forms.IntegerField(
        label=_("Units received"), min_value=0, max_value=MAX_STOCK, initial=0
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location_id"].choices = [(loc.pk, loc.name) for loc in locations]


class LocationForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=60, required=False)


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Change (+/−)"), min_value=-MAX_STOCK, max_value=MAX_STOCK
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=40)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class TrackingForm(forms.Form):
    """A carrier scan recorded by the shop's staff."""

    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[("in_transit", _("In transit")), ("delivered", _("Delivered"))],
    )
    description = forms.CharField(
        label=_("Scan description"),
        max_length=255,
        help_text=_("For example: Arrived at the Hangzhou sorting centre"),
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it rejected?"), max_length=255)


class PayoutForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2
    )
    bank_account = forms.CharField(label=_("Bank account number"), max_length=40)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", f"web-payout:{uuid.uuid4().hex}")
