from django.contrib import admin

from schemes.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    search_fields = ["name", "area"]
