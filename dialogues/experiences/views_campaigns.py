"""HR's pages for running a campaign: define it, invite, open, follow, close, interviews."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.concepts.models import Concept
from dialogues.experiences.domain.anonymity import (
    CampaignRefused,
    invitees_from_rounds,
)
from dialogues.experiences.domain.answering import AnswersInvalid, record_interview
from dialogues.experiences.domain.campaigns import response_rates, start_campaign
from dialogues.experiences.domain.invitee_list import add_invitee_list, read_invitee_list
from dialogues.experiences.domain.mailing import due_reminders, unsent_invitations
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.forms_answering import AnswerForm
from dialogues.experiences.forms_campaigns import CampaignForm, InterviewForm, InviteeListForm
from dialogues.experiences.models import Campaign, Response
from dialogues.experiences.rolegroups import RoleGroup
from dialogues.organisation.rules import interview_units

VIEW = "experiences.view_campaigns"
MANAGE = "experiences.manage_campaigns"


def _detail(campaign: Campaign):
    return redirect("experiences:campaign", pk=campaign.pk)


def _run_jobs_soon(campaign: Campaign) -> None:
    """Hand the invitations and reminders to the task worker once this transaction commits."""
    from dialogues.experiences.tasks import campaign_jobs_task

    transaction.on_commit(lambda: campaign_jobs_task.enqueue(campaign.pk))


@permission_required(VIEW)
def campaign_list(request):
    campaigns = Campaign.objects.annotate(invited=Count("invitees")).order_by("-opens_on", "name")
    return render(request, "experiences/campaign_list.html", {"campaigns": campaigns})


@permission_required(MANAGE)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        messages.success(request, _("The campaign was created. Now add the invitees."))
        return _detail(campaign)
    return render(request, "experiences/campaign_form.html", {"form": form, "campaign": None})


@permission_required(MANAGE, model=Campaign)
def campaign_edit(request, campaign):
    if not campaign.is_draft:
        messages.error(request, _("An open or closed campaign cannot be changed."))
        return _detail(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The campaign was saved."))
        return _detail(campaign)
    return render(request, "experiences/campaign_form.html", {"form": form, "campaign": campaign})


def _invitee_summary(campaign: Campaign) -> list[dict]:
    labels = dict(RoleGroup.choices)
    rows = campaign.invitees.values("role_group").annotate(count=Count("pk")).order_by("role_group")
    return [{"label": labels.get(row["role_group"]), "count": row["count"]} for row in rows]


@permission_required(VIEW, model=Campaign)
def campaign_detail(request, campaign):
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "concept_names": _concept_names(campaign),
        "invited": campaign.invitees.count(),
        "can_manage": request.user.has_perm(MANAGE),
        "can_interview": request.user.has_perm("experiences.record_interview"),
    }
    if campaign.is_draft:
        context["by_role_group"] = _invitee_summary(campaign)
        context["list_form"] = InviteeListForm()
    else:
        context["rates"] = response_rates(campaign)
        context["unsent"] = unsent_invitations(campaign).count()
        context["reminders_due"] = due_reminders(campaign, today).count()
        context["interviews"] = Response.objects.filter(
            campaign=campaign, source=Response.Source.INTERVIEW
        ).count()
    return render(request, "experiences/campaign_detail.html", context)


def _concept_names(campaign: Campaign) -> list[str]:
    names = {concept.kind: concept.name for concept in Concept.objects.all()}
    return [names.get(kind, kind) for kind in campaign.concepts]


@permission_required(MANAGE, model=Campaign)
@require_POST
def invite_from_rounds(request, campaign):
    try:
        added = invitees_from_rounds(campaign)
    except CampaignRefused as refused:
        messages.error(request, str(refused))
        return _detail(campaign)
    if added:
        messages.success(
            request,
            _("%(count)d people from the held dialogue rounds were invited.")
            % {"count": len(added)},
        )
    else:
        messages.info(
            request, _("Nobody new: the held rounds of these units have no one else to invite.")
        )
    return _detail(campaign)


@permission_required(MANAGE, model=Campaign)
def invite_from_list(request, campaign):
    if not campaign.is_draft:
        messages.error(request, _("Invitees can only be added to a draft campaign."))
        return _detail(campaign)
    form = InviteeListForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        listed = read_invitee_list(campaign, upload.read(), upload.name)
        if listed.ok:
            added = add_invitee_list(campaign, listed)
            messages.success(
                request,
                _("%(added)d invitees were added (%(already)d were invited already).")
                % {"added": added, "already": listed.already_invited},
            )
            return _detail(campaign)
        problems = listed.errors
        form.add_error(
            "file",
            _("The list was not added: %(count)d problems, listed below.")
            % {"count": len(problems)},
        )
    context = {"campaign": campaign, "form": form, "problems": problems[:200]}
    context["more_problems"] = max(len(problems) - 200, 0)
    status = 400 if problems else 200
    return render(request, "experiences/campaign_invitees.html", context, status=status)


@permission_required(MANAGE, model=Campaign)
@require_POST
def remove_invitees(request, campaign):
    if campaign.is_draft:
        removed, _details = campaign.invitees.all().delete()
        messages.success(request, _("The invitees were removed (%(count)d).") % {"count": removed})
    return _detail(campaign)


@permission_required(MANAGE, model=Campaign)
@require_POST
def campaign_open(request, campaign):
    try:
        with transaction.atomic():
            invited = start_campaign(campaign, by=request.user)
            _run_jobs_soon(campaign)
    except CampaignRefused as refused:
        messages.error(request, str(refused))
        return _detail(campaign)
    if campaign.opens_on > timezone.localdate():
        text = _(
            "The campaign is open for %(count)d invitees. The invitations go out on %(date)s."
        ) % {"count": invited, "date": campaign.opens_on}
    else:
        text = _("The campaign is open; the invitations to %(count)d people are being sent.") % {
            "count": invited
        }
    messages.success(request, text)
    return _detail(campaign)


@permission_required(MANAGE, model=Campaign)
@require_POST
def campaign_send(request, campaign):
    if campaign.status == Campaign.Status.OPEN:
        _run_jobs_soon(campaign)
        messages.success(
            request, _("The invitations not sent yet and the reminders due are being sent.")
        )
    return _detail(campaign)


@permission_required(MANAGE, model=Campaign)
def campaign_close(request, campaign):
    if request.method == "POST":
        try:
            close_campaign(campaign)
        except CampaignRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The campaign is closed. The links no longer work."))
        return _detail(campaign)
    return render(request, "experiences/campaign_close.html", {"campaign": campaign})


# --- group interviews ------------------------------------------------------------------------


def _interview_data(post: QueryDict, concept: str) -> QueryDict:
    data = post.copy()
    data.setlist("concepts", [concept])
    return data


@permission_required("experiences.record_interview", model=Campaign)
def interview(request, campaign):
    if campaign.is_draft:
        messages.error(request, _("Interviews can be recorded once the campaign is open."))
        return _detail(campaign)
    names = {concept.kind: concept.name for concept in Concept.objects.all()}
    concept = request.GET.get("concept") or request.POST.get("concept") or ""
    if concept not in campaign.concepts:
        choices = [(kind, names.get(kind, kind)) for kind in campaign.concepts]
        return render(
            request, "experiences/interview_start.html", {"campaign": campaign, "choices": choices}
        )
    is_post = request.method == "POST"
    form = InterviewForm(campaign, request.POST if is_post else None)
    form.fields["unit"].queryset = form.fields["unit"].queryset & interview_units(request.user)
    data = _interview_data(request.POST, concept) if is_post else None
    answers = AnswerForm(campaign, data=data, concepts=[concept], names=names)
    context = {
        "campaign": campaign,
        "concept": concept,
        "concept_name": names.get(concept, concept),
        "form": form,
        "answers": answers,
    }
    if is_post and request.headers.get("HX-Request") == "true":
        if "autosave" in request.POST:  # interviews keep no draft
            return render(request, "experiences/answer.html#status", {"saved": None})
        block = answers.blocks[0]
        return render(request, "experiences/answer.html#concept", {"block": block})
    if is_post and "record" in request.POST and form.is_valid():
        try:
            record_interview(
                campaign,
                concept=concept,
                unit=form.cleaned_data["unit"],
                role_groups=form.cleaned_data["role_groups"],
                participants=form.cleaned_data["participants"],
                answers=answers.answers.get(concept, {}),
            )
        except AnswersInvalid as invalid:
            for (kind, question_id), message in invalid.errors.items():
                answers.add_error(answers.field_for(kind, question_id), message)
        else:
            messages.success(request, _("The group interview was recorded."))
            return _detail(campaign)
    status = 400 if is_post and (form.errors or answers.errors) else 200
    return render(request, "experiences/interview.html", context, status=status)
