"""Inventory in the operations console. Stock levels and movements change only
through ``inventory.services`` (which keeps the movement log equal to
on-hand), so they are read-only here; locations may be edited."""

from __future__ import annotations

from django.contrib import admin

from .models import Location, Reservation, StockItem, StockMovement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "shop", "kind", "country", "city", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("code", "name", "shop__name")
    raw_id_fields = ("shop",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockItem)
class StockItemAdmin(ReadOnlyAdmin):
    list_display = ("sku", "location", "on_hand", "reserved")
    search_fields = ("sku__code", "location__code")
    list_select_related = ("sku", "location")


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ("ref", "stock_item", "quantity", "status", "expires_at")
    list_filter = ("status",)
    search_fields = ("ref",)


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = (
        "stock_item",
        "delta",
        "kind",
        "reason",
        "ref",
        "actor",
        "created_at",
    )
    list_filter = ("kind",)
    search_fields = ("ref", "reason")
