from django.contrib import admin

from .models import HandlerRun, OutboxEvent


class RunInline(admin.TabularInline):
    model = HandlerRun
    extra = 0
    readonly_fields = ["handler", "ran_at"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "topic",
        "occurred_at",
        "dispatched_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["topic"]
    readonly_fields = [
        "topic",
        "version",
        "payload",
        "occurred_at",
        "dispatched_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    inlines = [RunInline]
