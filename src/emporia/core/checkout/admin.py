from django.contrib import admin

from .models import Cart, CartLine, Checkout


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ["sku"]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "session_key", "updated_at"]
    inlines = [CartLineInline]
    raw_id_fields = ["user"]


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ["id", "buyer", "idempotency_key", "payment", "created_at"]
    readonly_fields = [
        "buyer",
        "idempotency_key",
        "body_hash",
        "orders",
        "payment",
        "created_at",
    ]
