"""Orders are changed only through services (the state machine); the admin
shows them read-only with their lines and full status history."""

from django.contrib import admin

from .models import Order, OrderLine, OrderStatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["product_name", "sku_label", "quantity", "unit_price", "line_total_minor"]
    readonly_fields = fields


class HistoryInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = ["at", "from_status", "to_status", "actor", "actor_kind", "reason"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "status",
        "hold_reason",
        "shop",
        "buyer",
        "total_minor",
        "currency",
        "source",
        "placed_at",
    ]
    list_filter = ["status", "source", "currency"]
    search_fields = ["number", "buyer__email", "buyer__mobile", "shop__name"]
    date_hierarchy = "placed_at"
    inlines = [LineInline, HistoryInline]
    list_select_related = ["shop", "buyer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
