from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from dialogues.common.access import permission_required
from dialogues.organisation.forms_people import PeopleFilterForm
from dialogues.organisation.models import Person, RoleAssignment
from dialogues.organisation.rules import visible_people, visible_units

PAGE_SIZE = 50


@permission_required("organisation.view_people")
def directory(request):
    form = PeopleFilterForm(request.GET or None, units=visible_units(request.user))
    people = (
        visible_people(request.user)
        .select_related("unit")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit"))
        )
    )
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            people = people.filter(
                Q(name__icontains=query) | Q(email__icontains=query) | Q(employee_id__iexact=query)
            )
        if form.cleaned_data["unit"]:
            people = people.filter(unit__lineage__startswith=form.cleaned_data["unit"].lineage)
        if not form.cleaned_data["include_inactive"]:
            people = people.filter(is_active=True)
    else:
        people = people.filter(is_active=True)
    page = Paginator(people.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "organisation/people.html"
    # A history restore (the back button) needs the whole page, not the fragment.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        template += "#results"
    response = render(request, template, {"form": form, "page": page})
    patch_vary_headers(response, ["HX-Request"])
    return response


@permission_required("organisation.view_person", model=Person)
def detail(request, person):
    roles = person.role_assignments.select_related("unit").order_by("role")
    reports = visible_people(request.user).filter(manager=person, is_active=True)
    return render(
        request,
        "organisation/person.html",
        {
            "person": person,
            "roles": roles,
            "reports": reports,
            "unit_visible": person.unit_id
            and visible_units(request.user).filter(pk=person.unit_id).exists(),
        },
    )
