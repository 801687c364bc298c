from django.contrib import admin

from .models import CallbackReceipt, Payment, PaymentEvent, Payout, Refund


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "provider_event_id", "outcome"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = [
        "id",
        "buyer",
        "amount_minor",
        "currency",
        "status",
        "provider",
        "provider_ref",
        "created_at",
        "succeeded_at",
    ]
    list_filter = ["status", "provider"]
    search_fields = ["provider_ref", "buyer__email"]
    inlines = [EventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnly):
    list_display = ["id", "payment", "kind", "provider_event_id", "outcome", "at"]
    list_filter = ["kind"]


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = [
        "id",
        "order",
        "amount_minor",
        "currency",
        "reason",
        "status",
        "created_at",
    ]


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
    list_display = [
        "id",
        "shop",
        "amount_minor",
        "currency",
        "bank_account",
        "created_at",
    ]


@admin.register(CallbackReceipt)
class CallbackReceiptAdmin(ReadOnly):
    list_display = ["provider", "event_id", "received_at"]
