"""The public portal's pages (issue 20): no log-in, public records only (`.public()`), cached
(public/cache.py). Thin views: the record comes through public/access.py, the petition and the
tracking lookup go through public/services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councilportal.access import object_view
from councilportal.models import Attachment, Council, Delegate, Term
from councilportal.models.documents import PUBLIC_ATTACHMENT_OWNERS
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.text import search_normalise
from petitions.models import PetitionItem, VoterMeeting, VoterRecommendation
from resolutions.models import LegalStatus, Resolution, ResolutionRelation
from sessions.models import AgendaItem, Attendance, Session
from supervision.models import Activity, Programme, ProgrammeItem, Question, Questioning

from .access import public_page, public_view
from .cache import cached_page
from .forms import OnlinePetitionForm, TrackingForm
from .services import (
    ChallengeError,
    attachment_set_published,
    challenge_new,
    item_answer_set_published,
    petition_submit_online,
    rate_limited,
    tracking_lookup,
)


def _public_files(*owners: Any) -> dict[tuple[int, int], list[Attachment]]:
    """The public files of some records, by (content type, pk): one query. The callers pass
    records they fetched through `.public()`, so the owner half of `Attachment.public()` holds
    already; its file half (published, never encrypted) is applied here."""
    if not owners:
        return {}
    q = Q(pk__in=[])
    for owner in owners:
        q |= Q(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
    found: dict[tuple[int, int], list[Attachment]] = {}
    files = Attachment.objects.filter(q, published=True, encrypted=False)
    for attachment in files.order_by("uploaded_at", "pk"):
        found.setdefault((attachment.owner_type_id, attachment.owner_id), []).append(attachment)
    return found


def _files_of(files: dict[tuple[int, int], list[Attachment]], owner: Any) -> list[Attachment]:
    return files.get((ContentType.objects.get_for_model(owner).pk, owner.pk), [])


def _current_term(council: Council) -> Term | None:
    today = timezone.localdate()
    terms = Term.objects.filter(council=council)
    return (
        terms.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date").first()
        or terms.order_by("-start_date").first()
    )


@cached_page
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The councils, provinces first with their communes a click away, and the latest
    resolutions."""
    councils = Council.objects.public().filter(depth__lte=1).order_by("path")
    parent = request.GET.get("council", "")
    chosen = None
    if parent.isdigit():
        chosen = Council.objects.public().filter(pk=int(parent)).first()
    below = (
        Council.objects.public().filter(parent=chosen).order_by("name")[:500]
        if chosen is not None
        else []
    )
    latest = (
        Resolution.objects.public()
        .filter(council__in=Council.objects.public())
        .select_related("council")
        .order_by("-adopted_on", "-pk")[:10]
    )
    return render(
        request,
        "public/home.html",
        {"councils": councils, "chosen": chosen, "below": below, "latest": latest},
    )


@cached_page
@public_view(Council)
def council_detail(request: HttpRequest, council: Council) -> HttpResponse:
    """A council's session calendar (lịch kỳ họp): coming sessions first, then the past ones."""
    today = timezone.localdate()
    sessions = list(
        Session.objects.public()
        .filter(council=council)
        .select_related("term")
        .order_by("-planned_start", "-pk")[:200]
    )
    coming = [s for s in reversed(sessions) if s.closing >= today]
    past = [s for s in sessions if s.closing < today]
    below = Council.objects.public().filter(parent=council).order_by("name")[:500]
    return render(
        request,
        "public/council_detail.html",
        {"council": council, "coming": coming, "past": past, "below": below, "today": today},
    )


@cached_page
@public_view(Session, queryset=lambda: Session.objects.public().select_related("council", "term"))
def session_detail(request: HttpRequest, session: Session) -> HttpResponse:
    """A session's public agenda (closed items are left out) and its public documents."""
    items = list(AgendaItem.objects.public().filter(session=session).order_by("position"))
    resolutions = list(Resolution.objects.public().filter(session=session).order_by("number", "pk"))
    files = _public_files(session, *items)
    return render(
        request,
        "public/session_detail.html",
        {
            "session": session,
            "council": session.council,
            "items": [(item, _files_of(files, item)) for item in items],
            "files": _files_of(files, session),
            "resolutions": resolutions,
        },
    )


def _day(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None


@cached_page
@public_view(Council)
def resolution_list(request: HttpRequest, council: Council) -> HttpResponse:
    """The council's register of resolutions, with their legal status on a chosen day."""
    on = _day(request.GET.get("on", "")) or timezone.localdate()
    rows = (
        Resolution.objects.public()
        .filter(council=council)
        .with_status_on(on)
        .only("pk", "number", "year", "kind", "issuer", "title", "adopted_on", "effective_from")
        .order_by("-adopted_on", "-number", "-pk")
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(adopted_on__year=int(year))
    status = request.GET.get("status", "")
    if status in LegalStatus.values:
        rows = rows.with_status(status, on)
    query = request.GET.get("q", "").strip()[:200]
    for word in search_normalise(query).split()[:8]:
        rows = rows.filter(search_text__contains=word)
    paginator = Paginator(rows, 50)
    page = paginator.get_page(request.GET.get("page"))
    labels = dict(LegalStatus.choices)
    for row in page:
        row.public_status = labels.get(row.status_code, "")
    return render(
        request,
        "public/resolution_list.html",
        {
            "council": council,
            "page": page,
            "on": on,
            "query": query,
            "year": year,
            "status": status,
            "statuses": LegalStatus.choices,
        },
    )


@cached_page
@public_view(Resolution, queryset=lambda: Resolution.objects.public().select_related("council"))
def resolution_detail(request: HttpRequest, resolution: Resolution) -> HttpResponse:
    """A resolution's full text, its legal status today or on a chosen day, and what amends or
    replaces it (public relations only)."""
    on = _day(request.GET.get("on", "")) or timezone.localdate()
    # The status from the stored lapse dates (one query; tests/resolutions check that it agrees
    # with Resolution.status_on, which walks the relations).
    status = (
        Resolution.objects.filter(pk=resolution.pk)
        .with_status_on(on)
        .values_list("status_code", flat=True)
        .get()
    )
    relations = list(
        ResolutionRelation.objects.public()
        .filter(Q(source=resolution) | Q(target=resolution))
        .select_related("source", "target")
    )
    return render(
        request,
        "public/resolution_detail.html",
        {
            "resolution": resolution,
            "council": resolution.council,
            "on": on,
            "status": LegalStatus(status).label,
            "acts_on": [r for r in relations if r.source_id == resolution.pk],
            "acted_on_by": [r for r in relations if r.target_id == resolution.pk],
            "files": _files_of(_public_files(resolution), resolution),
            "session": Session.objects.public().filter(pk=resolution.session_id).first(),
        },
    )


@cached_page
@public_view(Council)
def supervision(request: HttpRequest, council: Council) -> HttpResponse:
    """The annual supervision programmes and the published conclusions."""
    programmes = (
        Programme.objects.public()
        .filter(council=council)
        .prefetch_related(
            Prefetch("items", queryset=ProgrammeItem.objects.order_by("position", "pk"))
        )
        .order_by("-year", "owner", "pk")[:20]
    )
    activities = (
        Activity.objects.public().filter(council=council).order_by("-conclusion_date", "-pk")[:100]
    )
    return render(
        request,
        "public/supervision.html",
        {"council": council, "programmes": programmes, "activities": activities},
    )


@cached_page
@public_view(Activity, queryset=lambda: Activity.objects.public().select_related("council"))
def activity_detail(request: HttpRequest, activity: Activity) -> HttpResponse:
    return render(
        request,
        "public/activity_detail.html",
        {
            "activity": activity,
            "council": activity.council,
            "files": _files_of(_public_files(activity), activity),
        },
    )


@cached_page
@public_view(Council)
def delegate_list(request: HttpRequest, council: Council) -> HttpResponse:
    """The delegates of the current term, with their electoral unit and delegate group."""
    term = _current_term(council)
    delegates = (
        Delegate.objects.public()
        .filter(term=term)
        .select_related("delegate_group")
        .order_by("name_sort_key", "pk")
        if term is not None
        else Delegate.objects.none()
    )
    return render(
        request,
        "public/delegate_list.html",
        {"council": council, "term": term, "delegates": delegates},
    )


@cached_page
@public_view(
    Delegate,
    queryset=lambda: Delegate.objects.public().select_related("term__council", "delegate_group"),
)
def delegate_detail(request: HttpRequest, delegate: Delegate) -> HttpResponse:
    """A delegate's public record: sessions attended, questions asked, voter-contact
    meetings of their group (public ones only)."""
    attended = (
        Attendance.objects.filter(
            delegate=delegate,
            presence__in=["present", "late"],
            sitting__session__in=Session.objects.public(),
        )
        .values("sitting__session")
        .annotate(days=Count("pk"))
    )
    days = {row["sitting__session"]: row["days"] for row in attended}
    sessions = list(Session.objects.public().filter(pk__in=days).order_by("-planned_start"))
    questions = list(
        Question.objects.public()
        .filter(delegate=delegate)
        .select_related("questioning")
        .order_by("-asked_on", "-pk")[:100]
    )
    meetings: Any = VoterMeeting.objects.none()
    if delegate.delegate_group_id:
        meetings = (
            VoterMeeting.objects.public()
            .filter(delegate_group=delegate.delegate_group_id)
            .order_by("-date", "-pk")[:100]
        )
    return render(
        request,
        "public/delegate_detail.html",
        {
            "delegate": delegate,
            "council": delegate.term.council,
            "sessions": [(s, days[s.pk]) for s in sessions],
            "questions": questions,
            "meetings": meetings,
        },
    )


@cached_page
@public_view(Council)
def questioning_list(request: HttpRequest, council: Council) -> HttpResponse:
    questionings = (
        Questioning.objects.public()
        .filter(council=council)
        .annotate(question_count=Count("questions"))
        .order_by("-held_on", "-pk")[:200]
    )
    return render(
        request,
        "public/questioning_list.html",
        {"council": council, "questionings": questionings},
    )


@cached_page
@public_view(Questioning, queryset=lambda: Questioning.objects.public().select_related("council"))
def questioning_detail(request: HttpRequest, questioning: Questioning) -> HttpResponse:
    questions = (
        Question.objects.public()
        .filter(questioning=questioning)
        .select_related("delegate", "group")
        .order_by("asked_on", "pk")
    )
    return render(
        request,
        "public/questioning_detail.html",
        {"questioning": questioning, "council": questioning.council, "questions": questions},
    )


@cached_page
@public_view(Council)
def recommendation_list(request: HttpRequest, council: Council) -> HttpResponse:
    """The answers to voters' recommendations a clerk published."""
    rows = (
        VoterRecommendation.objects.public()
        .filter(council=council)
        .select_related("agency", "session", "follow_up")
        .prefetch_related("follow_up__answers")
        .annotate(answered=Max("follow_up__answers__received_on"))
        .order_by(F("answered").desc(nulls_last=True), "-pk")
    )
    query = request.GET.get("q", "").strip()[:200]
    for word in search_normalise(query).split()[:8]:
        rows = rows.filter(search_text__contains=word)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "public/recommendation_list.html",
        {"council": council, "page": page, "query": query},
    )


@public_page
def search(request: HttpRequest) -> HttpResponse:
    """Accent-insensitive search over the public records: the same stored `search_text` keys
    and normaliser as the portal's own search, each source restricted by `.public()`."""
    query = request.GET.get("q", "").strip()[:200]
    words = search_normalise(query).split()[:8]
    results: list[tuple[str, list[Any]]] = []
    if words:
        councils = Council.objects.public()
        sources: list[tuple[str, Any]] = [
            (_("Councils"), councils.order_by("path")),
            (
                _("Resolutions"),
                Resolution.objects.public()
                .filter(council__in=councils)
                .select_related("council")
                .order_by("-adopted_on", "-pk"),
            ),
            (
                _("Delegates"),
                Delegate.objects.public()
                .filter(term__council__in=councils)
                .select_related("term__council")
                .order_by("name_sort_key"),
            ),
            (
                _("Supervision conclusions"),
                Activity.objects.public().filter(council__in=councils).order_by("-pk"),
            ),
            (
                _("Questions and answers"),
                Question.objects.public()
                .filter(questioning__council__in=councils)
                .select_related("questioning")
                .order_by("-asked_on", "-pk"),
            ),
            (
                _("Answers to voters' recommendations"),
                VoterRecommendation.objects.public()
                .filter(council__in=councils)
                .annotate(answered=Max("follow_up__answers__received_on"))
                .order_by(F("answered").desc(nulls_last=True), "-pk"),
            ),
        ]
        for label, qs in sources:
            for word in words:
                qs = qs.filter(search_text__contains=word)
            found = list(qs[:20])
            if found:
                results.append((label, found))
    response = render(request, "public/search.html", {"query": query, "results": results})
    patch_cache_control(response, public=True, max_age=60)
    return response


@public_view(Attachment)
def file_download(request: HttpRequest, attachment: Attachment) -> FileResponse:
    """A public file (never an encrypted one: `.public()` excludes them)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=attachment.content_type, filename=attachment.original_name
    )
    patch_cache_control(response, public=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
def language(request: HttpRequest) -> HttpResponse:
    """Switch between Vietnamese and English without a form (the public pages carry no CSRF
    token, so they can be cached): sets the language cookie and goes back."""
    code = request.GET.get("lang", "")
    target = request.GET.get("next", "") or reverse("public:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("public:home")
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    add_never_cache_headers(response)
    return response


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@public_view(Council)
def petition_create(request: HttpRequest, council: Council) -> HttpResponse:
    """The online petition form: it lands in the council's intake as a petition received at the
    reception office, with the online channel."""
    address = _client_address(request)
    form = OnlinePetitionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if rate_limited("petition", address, limit=settings.PUBLIC_PETITION_LIMIT, window=3600):
            form.add_error(None, _("Too many petitions from your address. Try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                petition, code = petition_submit_online(council=council, data=form.cleaned_data)
            except ChallengeError as exc:
                form.add_error("answer", str(exc))
            else:
                # Post/redirect/get: the code waits in the visitor's session for the one page
                # that shows it, and leaves it there (a reload shows nothing again).
                request.session["public_petition_sent"] = {
                    "code": code,
                    "council": council.name,
                    "received_on": petition.received_on.isoformat(),
                    "email": form.cleaned_data.get("email", ""),
                }
                return redirect("public:petition-sent")
        if form.errors:
            status = status if status != 200 else 400
    challenge = challenge_new()
    form.set_challenge(challenge)
    response = render(
        request,
        "public/petition_form.html",
        {"council": council, "form": form, "question": challenge.question},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@public_page
def petition_sent(request: HttpRequest) -> HttpResponse:
    """The tracking code of the petition just sent, shown once."""
    sent = request.session.pop("public_petition_sent", None)
    if not isinstance(sent, dict):
        return redirect("public:tracking")
    response = render(
        request,
        "public/petition_sent.html",
        {
            "council_name": sent.get("council", ""),
            "code": sent.get("code", ""),
            "received_on": dt.date.fromisoformat(sent.get("received_on", "2000-01-01")),
            "email": sent.get("email", ""),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@public_page
def tracking(request: HttpRequest) -> HttpResponse:
    """The status of a petition sent online, from its tracking code only: what the citizen may
    know of their own petition, nothing else. Lookups are throttled per address."""
    form = TrackingForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST":
        if rate_limited("tracking", _client_address(request), limit=20, window=600):
            form.add_error(None, _("Too many lookups from your address. Try again later."))
            status = 429
        elif form.is_valid():
            found = tracking_lookup(form.cleaned_data["code"])
            if found is None:
                form.add_error("code", _("No petition has this tracking code."))
    response = render(
        request, "public/tracking.html", {"form": form, "found": found}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


# The clerks' publishing switches (logged in, write access to the record's council): a file of
# a public record, and the agency's answer on a petition's tracking page.


@object_view(Attachment, write=True)
@require_POST
def attachment_publish(request: AuthenticatedHttpRequest, attachment: Attachment) -> HttpResponse:
    """Publish a file on the public portal, or withdraw it. Only a file of a record that can be
    public (PUBLIC_ATTACHMENT_OWNERS), never an encrypted one."""
    owner_label = f"{attachment.owner_type.app_label}.{attachment.owner_type.model}"
    allowed = {label.lower() for label in PUBLIC_ATTACHMENT_OWNERS}
    if attachment.encrypted or owner_label not in allowed:
        raise PermissionDenied
    publish = request.POST.get("published") == "1"
    attachment_set_published(attachment=attachment, published=publish)
    messages.success(
        request,
        _("The file is published on the public portal.")
        if publish
        else _("The file is no longer on the public portal."),
    )
    owner: Any = attachment.owner_type.get_object_for_this_type(pk=attachment.owner_id)
    return redirect(owner)


@object_view(PetitionItem, write=True, related=("petition",))
@require_POST
def item_answer_publish(request: AuthenticatedHttpRequest, item: PetitionItem) -> HttpResponse:
    """Show the agency's answer to the petitioner on the tracking page, or stop showing it."""
    publish = request.POST.get("published") == "1"
    item_answer_set_published(item=item, published=publish)
    messages.success(
        request,
        _("The answer is shown on the tracking page.")
        if publish
        else _("The answer is no longer shown on the tracking page."),
    )
    return redirect(item)
