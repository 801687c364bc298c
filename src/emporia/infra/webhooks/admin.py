from django.contrib import admin

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["id", "url", "owner_kind", "owner_id", "is_active", "created_at"]
    list_filter = ["owner_kind", "is_active"]
    search_fields = ["url"]
    readonly_fields = ["secret", "created_at", "created_by"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status_code", "error", "duration_ms"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "endpoint", "event", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    list_select_related = ["endpoint", "event"]
    raw_id_fields = ["endpoint", "event"]
    inlines = [WebhookAttemptInline]
