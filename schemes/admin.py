from django.contrib import admin
from django.http import HttpRequest

from schemes.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    search_fields = ["name", "area"]

    # Read-only: managers create and edit schemes in the app, where changes are audited.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Scheme | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Scheme | None = None) -> bool:
        return False
