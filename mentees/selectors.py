import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_write_case
from accounts.selectors import user_roles
from mentees.models import Consent, ContactAttempt, Mentee, Referral, ReferralTransition
from mentees.next_step import ReferralFacts, facts_for
from relationships.models import MatchOffer, Relationship


def mentee_visible_to(user: User | AnonymousUser) -> QuerySet[Mentee]:
    """Mentees whose record ``user`` may open.

    Managers: everyone. Coordinators: everyone in the schemes they coordinate. Mentors: only
    the people they are matched with now (a relationship that is not closed), in a scheme
    where they still hold the mentor role: taking the role away takes the access away.
    """
    roles = user_roles(user)
    if roles.is_manager:
        return Mentee.objects.all()
    scope = Q(scheme_id__in=roles.coordinator_scheme_ids)
    if roles.is_mentor and user.is_authenticated:  # only a signed-in user holds a role
        scope |= Q(
            pk__in=Relationship.objects.filter(
                mentor__user=user, mentor__scheme_id__in=roles.mentor_scheme_ids
            )
            .exclude(status=Relationship.Status.CLOSED)
            .values("mentee_id")
        )
    return Mentee.objects.filter(scope)


def mentee_for_write(user: User, pk: int) -> Mentee:
    """The mentee ``pk``, for changing their record: 404 unless ``user`` may open it (as for a
    missing record), 403 unless they coordinate its scheme (``can_write_case``): a manager
    reads the record and a matched mentor sees part of it, but neither writes it. An
    anonymised record is written by nobody: what was removed must not come back."""
    mentee = get_object_or_404(mentee_visible_to(user).select_related("scheme"), pk=pk)
    if not can_write_case(user, mentee.scheme_id) or mentee.anonymised_at is not None:
        raise PermissionDenied
    return mentee


def referral_visible_to(user: User | AnonymousUser) -> QuerySet[Referral]:
    """Referrals are case work for the scheme's staff: managers see all, coordinators their
    schemes'. Mentors never see referral details (the reason, the referrer, the attempts)."""
    roles = user_roles(user)
    if roles.is_manager:
        return Referral.objects.all()
    return Referral.objects.filter(mentee__scheme_id__in=roles.coordinator_scheme_ids)


def referral_for_write(user: User, pk: int) -> Referral:
    """The referral ``pk``, for moving it or logging contact: 404 unless ``user`` may see it,
    403 unless they coordinate the person's scheme (``can_write_case``)."""
    referral = get_object_or_404(
        referral_visible_to(user).select_related("mentee", "mentee__scheme"), pk=pk
    )
    if not can_write_case(user, referral.mentee.scheme_id):
        raise PermissionDenied
    return referral


def can_see_case_details(user: User | AnonymousUser, mentee: Mentee) -> bool:
    """Staff of the person's scheme (its coordinators, who write the record) and managers see
    the whole record; a matched mentor sees what they need to meet the person safely."""
    return user_roles(user).is_manager or can_write_case(user, mentee.scheme_id)


def mentees_for_list(mentees: QuerySet[Mentee]) -> QuerySet[Mentee]:
    """The one place a mentee list is given its related rows: the scheme and every referral,
    newest first, so each row shows where the person is in the pipeline, or that their
    referral ended (and how) if none is open."""
    return mentees.select_related("scheme").prefetch_related(
        Prefetch(
            "referrals",
            queryset=Referral.objects.order_by("-referred_on", "-pk"),
            to_attr="referrals_newest_first",
        )
    )


def with_latest_referral_status(mentees: QuerySet[Mentee]) -> QuerySet[Mentee]:
    latest = Referral.objects.filter(mentee=OuterRef("pk")).order_by("-referred_on", "-id")
    return mentees.annotate(latest_referral_status=Subquery(latest.values("status")[:1]))


def mentees_matching(mentees: QuerySet[Mentee], query: str) -> QuerySet[Mentee]:
    """Narrow a list by name or reference, as a coordinator types it."""
    q = Q()
    for word in query.split():
        q &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(reference__iexact=word)
        )
    return mentees.filter(q)


#: Newest consent first. Consent recorded before Tandem without a date came before anything
#: Tandem holds, so it sorts last, never as the newest (PostgreSQL puts nulls first).
LATEST_CONSENT_FIRST = (F("given_on").desc(nulls_last=True), "-id")


def consent_current(mentee: Mentee) -> Consent | None:
    """The consent in force, if any (given and not withdrawn)."""
    return mentee.consents.filter(withdrawn_on=None).first()


def consent_withdrawn(mentee: Mentee) -> bool:
    """True when the person's latest consent has been withdrawn (and none given since)."""
    latest = mentee.consents.order_by(*LATEST_CONSENT_FIRST).first()
    return latest is not None and latest.withdrawn_on is not None


def latest_withdrawn_consent(mentee: Mentee) -> Consent | None:
    """The withdrawal to show when the person has no consent in force now."""
    if consent_current(mentee) is not None:
        return None
    return mentee.consents.exclude(withdrawn_on=None).order_by("-withdrawn_on", "-id").first()


def waiting_list(referrals: QuerySet[Referral], *, today: datetime.date) -> QuerySet[Referral]:
    """People waiting for a match, longest wait first (since consent let them wait), with
    what a coordinator needs to choose: release date, the last contact attempt, and an offer
    waiting for a mentor's answer (the person keeps their place while it waits)."""
    return (
        referrals.filter(status=Referral.Status.AWAITING_MATCH)
        .select_related("mentee", "mentee__scheme")
        .prefetch_related(
            Prefetch(
                "contact_attempts",
                queryset=ContactAttempt.objects.order_by("-attempted_on", "-id"),
                to_attr="attempts_newest_first",
            ),
            # An offer waiting for a mentor's answer: the person keeps their place meanwhile.
            Prefetch(
                "offers",
                queryset=MatchOffer.objects.filter(MatchOffer.awaiting_answer())
                .select_related("mentor")
                .order_by("expires_at"),
                to_attr="offers_pending",
            ),
        )
        .order_by("status_changed_on", "referred_on", "pk")
    )


def referral_facts(referral: Referral) -> ReferralFacts:
    """What the next step of one referral depends on, in a few queries: its contact
    attempts, the person's latest consent, a match offer waiting for an answer, and their
    open relationship once matched."""
    spoke = ContactAttempt.Outcome.SPOKE
    counted = referral.contact_attempts.aggregate(
        attempts=Count("pk"), spoken=Count("pk", filter=Q(outcome=spoke))
    )
    latest = referral.mentee.consents.order_by(*LATEST_CONSENT_FIRST).first()
    relationship_id = None
    if referral.status in (Referral.Status.MATCHED, Referral.Status.ACTIVE):
        relationship_id = (
            Relationship.objects.filter(mentee_id=referral.mentee_id)
            .exclude(status=Relationship.Status.CLOSED)
            .values_list("pk", flat=True)
            .first()
        )
    current = referral.mentee.consents.filter(withdrawn_on=None).exists()
    offer_id = None
    if referral.status == Referral.Status.AWAITING_MATCH:
        offer_id = (
            MatchOffer.objects.filter(MatchOffer.awaiting_answer(), referral=referral)
            .values_list("pk", flat=True)
            .first()
        )
    return facts_for(
        referral,
        attempts=counted["attempts"],
        spoken_to=counted["spoken"] > 0,
        consent_current=current,
        consent_withdrawn=not current and latest is not None and latest.withdrawn_on is not None,
        relationship_id=relationship_id,
        offer_id=offer_id,
    )


def referrals_not_ready(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """People referred or being assessed, referred longest ago first, annotated with what
    ``referral_facts_listed`` needs: a fixed number of queries however long the list."""
    latest_consent = Consent.objects.filter(mentee=OuterRef("mentee")).order_by(
        *LATEST_CONSENT_FIRST
    )
    return (
        referrals.filter(status__in=[Referral.Status.REFERRED, Referral.Status.ASSESSING])
        .select_related("mentee", "mentee__scheme")
        .annotate(
            attempt_count=Count("contact_attempts"),
            spoken_to=Exists(
                ContactAttempt.objects.filter(
                    referral=OuterRef("pk"), outcome=ContactAttempt.Outcome.SPOKE
                )
            ),
            has_consent=Exists(
                Consent.objects.filter(mentee=OuterRef("mentee"), withdrawn_on=None)
            ),
            latest_consent_withdrawn_on=Subquery(latest_consent.values("withdrawn_on")[:1]),
        )
        .order_by("referred_on", "pk")
    )


def referral_facts_listed(referral: Referral) -> ReferralFacts:
    """The facts of a referral from ``referrals_not_ready``, with no query of its own."""
    # The annotations of referrals_not_ready; the stubs cannot follow them.
    r: Any = referral
    return facts_for(
        referral,
        attempts=r.attempt_count,
        spoken_to=r.spoken_to,
        consent_current=r.has_consent,
        consent_withdrawn=not r.has_consent and r.latest_consent_withdrawn_on is not None,
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date | None  # None: before Tandem, on a day the records do not give
    title: str
    detail: str
    by: str
    recorded: datetime.datetime  # orders entries of the same day as they happened


def mentee_timeline(mentee: Mentee) -> list[TimelineEntry]:
    """Everything that happened on a person's case, oldest first: referral steps, consent,
    contact attempts, restrictions and offers of a match. A fixed number of queries."""
    entries: list[TimelineEntry] = []
    transitions = ReferralTransition.objects.filter(referral__mentee=mentee).select_related("by")
    taken_by = {}
    for t in transitions:
        if not t.from_status:  # the referral itself, below
            taken_by[t.referral_id] = t.by.full_name
            continue
        detail = t.get_exit_reason_display() if t.exit_reason else t.note
        entries.append(
            TimelineEntry(t.on, t.get_to_status_display(), detail, t.by.full_name, t.created_at)
        )
    for r in mentee.referrals.all():
        source = r.get_source_display() + (f": {r.referrer_name}" if r.referrer_name else "")
        entries.append(
            TimelineEntry(r.referred_on, "Referred", source, taken_by.get(r.pk, ""), r.created_at)
        )
    for c in mentee.consents.select_related("explained_by", "withdrawal_recorded_by"):
        entries.append(
            TimelineEntry(
                # Consent recorded before Tandem may have no date: it comes first, undated.
                c.given_on,
                "Consent given" if c.given_on else "Consent recorded before Tandem",
                f"Information sheet {c.information_sheet_version}"
                if c.information_sheet_version
                else "Information sheet not recorded",
                c.explained_by.full_name
                if c.explained_by
                else "imported from the scheme's records",
                c.created_at,
            )
        )
        if c.withdrawn_on:
            by = c.withdrawal_recorded_by.full_name if c.withdrawal_recorded_by else ""
            entries.append(TimelineEntry(c.withdrawn_on, "Consent withdrawn", "", by, c.created_at))
    attempts = ContactAttempt.objects.filter(referral__mentee=mentee).select_related("by")
    for a in attempts:
        entries.append(
            TimelineEntry(
                a.attempted_on,
                f"Contact attempt: {a.get_channel_display().lower()}",
                a.get_outcome_display() + (f" — {a.note}" if a.note else ""),
                a.by.full_name,
                a.created_at,
            )
        )
    for restriction in mentee.restrictions.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                restriction.recorded_on,
                f"Restriction: {restriction}",
                "",
                restriction.recorded_by.full_name,
                restriction.created_at,
            )
        )
    entries += _offer_entries(mentee)
    # Referred first on its day: a step on the same date cannot come before the referral.
    # Undated history (consent recorded before Tandem) came before anything Tandem holds.
    return sorted(
        entries, key=lambda e: (e.on or datetime.date.min, e.title != "Referred", e.recorded)
    )


def _offer_entries(mentee: Mentee) -> list[TimelineEntry]:
    """Each offer of a match: made, and how it was answered (a decline with its reason and
    note, so the coordinator choosing the next mentor sees why). One query."""
    entries = []
    offers = MatchOffer.objects.filter(mentee=mentee).select_related(
        "mentor", "offered_by", "answered_by"
    )
    for o in offers:
        entries.append(
            TimelineEntry(
                timezone.localdate(o.offered_at),
                f"Offered to {o.mentor}",
                f"Answer due {timezone.localtime(o.expires_at):%-d %b %Y %H:%M}",
                o.offered_by.full_name,
                o.offered_at,
            )
        )
        if o.status == MatchOffer.Status.PENDING or o.answered_at is None:
            continue
        detail = ""
        if o.status == MatchOffer.Status.DECLINED:
            detail = o.get_decline_reason_display() + (
                f" — {o.decline_note}" if o.decline_note else ""
            )
        entries.append(
            TimelineEntry(
                timezone.localdate(o.answered_at),
                f"Offer to {o.mentor}: {o.get_status_display().lower()}",
                detail,
                o.answered_by.full_name if o.answered_by else "",
                o.answered_at,
            )
        )
    return entries


def referral_open_for(
    mentee_id: int,
    *,
    for_update: bool = False,
    within: QuerySet[Referral] | None = None,
) -> Referral | None:
    """The one open referral of a person (a constraint allows no second one), or None.
    Matching, the relationship's life and the matching page all ask here; a page passes
    ``within`` (the user's ``referral_visible_to``) so it shows nothing out of scope."""
    referrals = (within if within is not None else Referral.objects.all()).filter(
        mentee_id=mentee_id, status__in=Referral.OPEN_STATUSES
    )
    if for_update:
        referrals = referrals.select_for_update(of=("self",))
    return referrals.select_related("mentee").first()


def referral_latest_for(mentee_id: int) -> Referral | None:
    """A person's most recent referral, open or not: the one a reopened relationship brings
    back (or, when they were referred again, the newer one waiting for a match)."""
    return (
        Referral.objects.filter(mentee_id=mentee_id)
        .select_related("mentee")
        .order_by("-referred_on", "-pk")
        .first()
    )
