from django.contrib import admin

from .models import (
    ReturnLine,
    ReturnRequest,
    ReturnStatusChange,
    Shipment,
    ShipmentLine,
    TrackingEvent,
)


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0


class TrackingInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "order",
        "carrier",
        "tracking_number",
        "status",
        "shipped_at",
        "delivered_at",
    ]
    list_filter = ["status", "carrier"]
    search_fields = ["tracking_number", "order__number"]
    inlines = [ShipmentLineInline, TrackingInline]
    raw_id_fields = ["order"]


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0


class ReturnHistoryInline(admin.TabularInline):
    model = ReturnStatusChange
    extra = 0
    readonly_fields = ["at", "from_status", "to_status", "actor", "reason"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "order",
        "buyer",
        "status",
        "refund_minor",
        "currency",
        "created_at",
    ]
    list_filter = ["status"]
    inlines = [ReturnLineInline, ReturnHistoryInline]
    readonly_fields = ["status"]
    raw_id_fields = ["order", "buyer"]
