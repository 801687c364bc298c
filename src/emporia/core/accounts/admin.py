from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    Address,
    ApiToken,
    Department,
    Organization,
    OrganizationMember,
    Shop,
    ShopMember,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["-id"]
    list_display = [
        "id",
        "display_name",
        "email",
        "mobile",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    search_fields = ["email", "mobile", "display_name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "mobile", "password"]}),
        ("Profile", {"fields": ["display_name", "language"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"fields": ["email", "mobile", "display_name", "password1", "password2"]},
        )
    ]


class ShopMemberInline(admin.TabularInline):
    model = ShopMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "slug",
        "kind",
        "status",
        "commission_rate",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug"]
    inlines = [ShopMemberInline]


class OrgMemberInline(admin.TabularInline):
    model = OrganizationMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "registration_number", "verified_at"]
    search_fields = ["name", "registration_number"]
    inlines = [OrgMemberInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "organization", "parent"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "user",
        "organization",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user", "organization"]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "recipient", "city", "is_default"]
    raw_id_fields = ["user"]
