"""Operators browse the ledger; nobody edits it here (it is append-only, and
the database refuses UPDATE and DELETE anyway)."""

from __future__ import annotations

from django.contrib import admin

from .models import Account, JournalEntry, Posting


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "debit_minor", "credit_minor", "currency")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "type", "currency", "owner_kind", "owner_id")
    list_filter = ("type", "currency", "owner_kind")
    search_fields = ("code",)


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "ref", "occurred_at", "actor")
    list_filter = ("kind",)
    search_fields = ("key", "ref", "memo")
    date_hierarchy = "occurred_at"
    inlines = [PostingInline]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("entry", "account", "debit_minor", "credit_minor", "currency")
    list_filter = ("currency",)
    search_fields = ("account__code", "entry__key")
    list_select_related = ("entry", "account")
