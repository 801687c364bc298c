from django.contrib import admin

from .models import SandboxCallback, SandboxCharge, SandboxRefund


class SandboxCallbackInline(admin.TabularInline):
    model = SandboxCallback
    extra = 0
    can_delete = False
    fields = ["event_id", "attempts", "next_attempt_at", "delivered_at", "last_status"]
    readonly_fields = fields


class SandboxRefundInline(admin.TabularInline):
    model = SandboxRefund
    extra = 0
    can_delete = False
    readonly_fields = ["key", "provider_ref", "amount_minor", "created_at"]


@admin.register(SandboxCharge)
class SandboxChargeAdmin(admin.ModelAdmin):
    list_display = [
        "provider_ref",
        "merchant_ref",
        "amount_minor",
        "currency",
        "status",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["provider_ref", "merchant_ref"]
    exclude = ["token"]
    inlines = [SandboxCallbackInline, SandboxRefundInline]
