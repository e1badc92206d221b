"""The documentation as a PDF, for LSU, AMK and the annual working environment discussion."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.common.access import permission_required
from dialogues.rounds.models import Round


@permission_required("rounds.view_documentation", model=Round)
def documentation_pdf(request, round_):
    html = render_to_string(
        "rounds/documentation_pdf.html",
        {
            "round": round_,
            "essentials": round_.essentials.all(),
            "agreements": round_.agreements.select_related("owner"),
            "printed": timezone.localtime(),
        },
        request=request,
    )
    try:
        # Imported here: WeasyPrint needs Pango from the system, which a machine may lack.
        from weasyprint import HTML
    except OSError:
        return render(
            request,
            "rounds/pdf_unavailable.html",
            {"round": round_, "reason": _("The PDF library is not installed on the server.")},
            status=503,
        )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{round_.concept.kind}-{round_.unit.code}-{round_.starts_at:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
