from django.contrib import admin

from .models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("authors", "year", "title", "kind")
    list_filter = ("kind",)
    search_fields = ("authors", "title", "venue", "key")
    ordering = ("authors", "year")
