from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    """Shown for reference only: roles are given and removed in the app, where it is audited."""

    model = Membership
    extra = 0
    fields = ["role", "scheme", "created_at"]
    readonly_fields = ["role", "scheme", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """For system administrators. Managers give roles in the app, where changes are audited."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["full_name", "email"]
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = []

    # Read-only: accounts are invited, closed and given roles in the app, where every change
    # is audited. Superusers are made with `createsuperuser`, managers with `create_manager`.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False
