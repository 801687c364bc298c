from django.contrib import admin

from .models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are written by search.services from the catalog."""

    list_display = ("product", "shop_id", "listed", "min_price", "currency")
    list_filter = ("listed",)
    search_fields = ("body",)
    raw_id_fields = ("product",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
