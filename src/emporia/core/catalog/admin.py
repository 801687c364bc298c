from django.contrib import admin

from . import services
from .models import Attribute, Category, Product, ProductImage, ProductStatusChange, Sku


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("id", "slug", "__str__", "path", "position")
    search_fields = ("slug", "path")
    readonly_fields = ("path",)


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("code",)
    search_fields = ("code",)


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


class ProductStatusChangeInline(admin.TabularInline):
    model = ProductStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("old_status", "new_status", "actor", "reason", "changed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("id", "__str__", "shop", "category", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("slug", "brand")
    raw_id_fields = ("shop", "category")
    # Status changes go through services.set_product_status (history + event).
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [SkuInline, ProductImageInline, ProductStatusChangeInline]

    def save_related(self, request, form, formsets, change):
        # The admin writes the models itself; the service tells the search
        # index and other readers, as every catalog service does.
        super().save_related(request, form, formsets, change)
        services.note_product_changed(product_id=form.instance.pk, by=request.user)


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = ("id", "code", "product", "price", "currency", "is_active")
    search_fields = ("code",)
    raw_id_fields = ("product",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.note_product_changed(product_id=obj.product_id, by=request.user)
