# django-otp's own admin modules, loaded here so their registrations can be undone below
# (accounts comes first in INSTALLED_APPS, so the admin's discovery would load them after us).
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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
        ("Second factor", {"fields": ["second_factor"]}),
    ]
    readonly_fields = ["second_factor"]

    @admin.display(description="Second factor")
    def second_factor(self, obj: User) -> str:
        """The way to reset a lost device: the same audited page managers use."""
        url = reverse("accounts:second_factor_reset", args=[obj.pk])
        return format_html('<a href="{}">Reset a lost second factor</a>', url)

    filter_horizontal = []

    # Read-only: accounts are invited, closed and given roles in the app, where every change
    # is audited. Superusers are made with `createsuperuser`, managers with `create_manager`.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


# django-otp's own admin pages show each device's secret key and recovery codes, and delete
# devices without an audit event: a second factor is reset only through the audited page.
# accounts comes before django-otp in INSTALLED_APPS, so django-otp's admin modules are loaded
# at the top of this one (once: the admin's own discovery finds them already loaded).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
