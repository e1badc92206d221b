from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from dialogues.organisation.models import OrganisationImport, Person, RoleAssignment, Unit


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "employee_id", "unit", "is_active"]
    list_filter = ["is_active", "is_staff", "preferred_language"]
    search_fields = ["name", "email", "employee_id"]
    autocomplete_fields = ["unit", "manager"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["last_login", "date_joined", "deactivated_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "employee_id", "preferred_language", "unit", "manager"]}),
        (
            _("Access"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "last_login",
                    "date_joined",
                    "deactivated_at",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]
    filter_horizontal = []


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(OrganisationImport)
class OrganisationImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_at", "uploaded_by", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "filename",
        "uploaded_at",
        "uploaded_by",
        "status",
        "errors",
        "summary",
        "applied_at",
    ]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False
