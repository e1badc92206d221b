"""The HR administrator's download of everything stored about a person (GDPR article 15)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from dialogues.common.access import permission_required
from dialogues.organisation.models import Person
from dialogues.organisation.privacy import as_json, personal_data, record_export


@permission_required("organisation.export_personal_data", model=Person)
def person_export(request, person):
    text = as_json(personal_data(person))
    record_export(person, request.user, path=request.get_full_path())
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    day = timezone.localdate()
    name = f"personal-data-{slugify(person.employee_id or person.pk)}-{day:%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
