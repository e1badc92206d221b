"""The HR import pages: upload and check a file, see what would change, confirm or discard.

Every view needs ``organisation.import_people`` (HR administrators). The work itself is
done by ``dialogues.organisation.importing``, as for the command line.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from dialogues.organisation.forms import ImportForm
from dialogues.organisation.importing import check_file, import_file, problems_from
from dialogues.organisation.importing.summary import cautions, describe
from dialogues.organisation.models import OrganisationImport

Status = OrganisationImport.Status
SHOWN_ERRORS = 500
RECENT_IMPORTS = 20
EXAMPLE_FILE = settings.BASE_DIR / "examples" / "organisation.csv"

# (column, Danish name, required, what it holds): the format, on the page itself.
COLUMN_DOCS = [
    ("employee_id", "medarbejdernr", True, gettext_lazy("Identifies the person across imports.")),
    ("name", "navn", True, gettext_lazy("Full name.")),
    ("email", "e-mail", True, gettext_lazy("Work email; also used to log in.")),
    (
        "language",
        "sprog",
        False,
        gettext_lazy("da or en (empty: da). Used only when the person is created."),
    ),
    ("unit_code", "enhedskode", True, gettext_lazy("The code of the person's own unit.")),
    ("unit_name", "enhedsnavn", True, gettext_lazy("The unit's name.")),
    (
        "unit_type",
        "enhedstype",
        True,
        gettext_lazy("university, department, centre, section or group."),
    ),
    (
        "parent_unit_code",
        "overordnet_enhedskode",
        False,
        gettext_lazy("The unit above; empty only for the single top unit."),
    ),
    (
        "manager_employee_id",
        "leder_medarbejdernr",
        False,
        gettext_lazy("The employee id of the person's own manager."),
    ),
    (
        "roles",
        "roller",
        False,
        gettext_lazy(
            "Separated by commas or |: manager, director, hr_partner, hr_admin, amr, tr, "
            "lsu_member, lsu_vice_chair, amk_member."
        ),
    ),
    (
        "hr_partner_units",
        "hr_partner_enheder",
        False,
        gettext_lazy("For HR partners: the codes of the units they serve."),
    ),
]


def _import_admin(view):
    """Anonymous people are sent to log in; others without the permission get 403."""
    return login_required(
        permission_required("organisation.import_people", raise_exception=True)(view)
    )


@_import_admin
def index(request):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            record = _check_upload(request, form.cleaned_data["file"])
            return redirect("organisation:import_detail", record.pk)
    else:
        form = ImportForm()
    recent = (
        OrganisationImport.objects.select_related("uploaded_by")
        .only("pk", "uploaded_at", "filename", "status", "uploaded_by__name")
        .order_by("-uploaded_at", "-pk")[:RECENT_IMPORTS]
    )
    return render(
        request,
        "organisation/imports.html",
        {"form": form, "imports": recent, "columns": COLUMN_DOCS},
    )


def _check_upload(request, upload) -> OrganisationImport:
    content = upload.read()
    result = check_file(content, upload.name)
    return OrganisationImport.objects.create(
        uploaded_by=request.user,
        filename=upload.name[:255],
        status=Status.READY if result.ok else Status.INVALID,
        # The file holds personal data: keep it only while it waits for confirmation.
        content=content if result.ok else None,
        errors=result.problems_as_json(),
        summary=result.summary or {},
    )


@_import_admin
@require_safe
def example(request):
    if not EXAMPLE_FILE.exists():
        raise Http404
    return FileResponse(
        EXAMPLE_FILE.open("rb"),
        as_attachment=True,
        filename="organisation.csv",
        content_type="text/csv; charset=utf-8",
    )


@_import_admin
@require_safe
def detail(request, pk: int):
    record = get_object_or_404(
        OrganisationImport.objects.select_related("uploaded_by").defer("content"), pk=pk
    )
    problems = problems_from(record.errors)
    errors = [problem for problem in problems if problem.is_error]
    return render(
        request,
        "organisation/import_detail.html",
        {
            "record": record,
            "errors": errors[:SHOWN_ERRORS],
            "error_count": len(errors),
            "notices": [problem for problem in problems if not problem.is_error],
            "summary": describe(record.summary) if record.summary else None,
            "cautions": cautions(record.summary, request.user)
            if record.status == Status.READY and record.summary
            else [],
        },
    )


@_import_admin
@require_POST
def confirm(request, pk: int):
    with transaction.atomic(durable=True):
        # Lock every waiting import, in order, so that two confirmations run one after the other.
        list(
            OrganisationImport.objects.select_for_update()
            .filter(status=Status.READY)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        record = get_object_or_404(OrganisationImport.objects.select_for_update(), pk=pk)
        if record.status != Status.READY or record.content is None:
            messages.error(request, _("This import has already been applied or discarded."))
            return redirect("organisation:import_detail", record.pk)
        result = import_file(bytes(record.content), record.filename)
        record.content = None
        record.errors = result.problems_as_json()
        if result.ok:
            record.status = Status.APPLIED
            record.applied_at = timezone.now()
            record.summary = result.summary
        else:
            record.status = Status.INVALID
            record.summary = {}
        record.save()
    if result.ok:
        messages.success(request, _("The organisation was imported."))
    else:
        messages.error(
            request,
            _("The organisation has changed since the file was checked. Nothing was imported."),
        )
    return redirect("organisation:import_detail", record.pk)


@_import_admin
@require_POST
def discard(request, pk: int):
    with transaction.atomic():
        record = get_object_or_404(OrganisationImport.objects.select_for_update(), pk=pk)
        if record.status != Status.READY:
            messages.error(request, _("Only an import waiting for confirmation can be discarded."))
            return redirect("organisation:import_detail", record.pk)
        record.status = Status.DISCARDED
        record.content = None
        record.save(update_fields=["status", "content"])
    messages.success(request, _("The import was discarded. Nothing was changed."))
    return redirect("organisation:imports")
