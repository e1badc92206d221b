from django.contrib import admin

from dialogues.concepts.models import Concept


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "kind", "position", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]
