from django.contrib import admin

from .models import ProductRating, ProductReview, ShopRating, ShopReview


@admin.register(ProductReview)
class ProductReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "product", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["order_line", "product", "buyer"]


@admin.register(ShopReview)
class ShopReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "shop", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["order", "shop", "buyer"]


@admin.register(ProductRating)
class ProductRatingAdmin(admin.ModelAdmin):
    list_display = ["product", "count", "total", "average"]
    readonly_fields = ["product", "count", "total"]


@admin.register(ShopRating)
class ShopRatingAdmin(admin.ModelAdmin):
    list_display = ["shop", "count", "total", "average"]
    readonly_fields = ["shop", "count", "total"]
