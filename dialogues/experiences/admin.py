from django.contrib import admin

from dialogues.experiences.models import GuideVersion, Question, QuestionGuide, Section


@admin.register(QuestionGuide)
class QuestionGuideAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "slug"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title_da", "title_en", "guide", "position"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text_en", "section", "position", "kind", "sensitive"]
    list_filter = ["section", "kind", "sensitive"]


@admin.register(GuideVersion)
class GuideVersionAdmin(admin.ModelAdmin):
    """Frozen versions can be looked at, never changed or removed."""

    list_display = ["guide", "number", "created_at", "created_by"]
    readonly_fields = ["guide", "number", "snapshot", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
