from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dialogues.common.access import permission_required
from dialogues.common.forms import AccessibilityStatementForm
from dialogues.common.models import AccessibilityStatement
from dialogues.organisation.overview import overview_for


@login_required
def home(request):
    return render(request, "common/home.html", {"overview": overview_for(request.user)})


def accessibility(request):
    return render(
        request, "common/accessibility.html", {"statement": AccessibilityStatement.current()}
    )


@permission_required("common.edit_accessibility_statement")
def accessibility_edit(request):
    statement = AccessibilityStatement.current()
    form = AccessibilityStatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        statement = form.save(commit=False)
        statement.updated_by = request.user
        statement.save()
        messages.success(request, _("The accessibility statement was saved."))
        return redirect("common:accessibility")
    return render(request, "common/accessibility_edit.html", {"form": form})


@never_cache
def health(request):
    """For load balancers and monitoring: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
