from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dialogues.common.access import permission_required
from dialogues.concepts.forms import ConceptForm
from dialogues.concepts.models import Concept


def overview(request):
    concepts = list(Concept.objects.all())
    rows = [
        (label, [(concept, getattr(concept, aspect)) for concept in concepts])
        for aspect, label in Concept.ASPECTS
    ]
    return render(request, "concepts/overview.html", {"concepts": concepts, "rows": rows})


@permission_required("concepts.edit_concepts", model=Concept, lookup="kind")
def edit(request, concept):
    form = ConceptForm(request.POST or None, instance=concept)
    if request.method == "POST" and form.is_valid():
        concept = form.save(commit=False)
        concept.updated_by = request.user
        concept.save()
        messages.success(request, _("%(concept)s was saved.") % {"concept": concept.name})
        return redirect("concepts:overview")
    return render(request, "concepts/edit.html", {"form": form, "concept": concept})
