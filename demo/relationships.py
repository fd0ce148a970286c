"""Synthetic relationship histories for ``seed_demo``: meetings, goals, steps, reviews and
pauses, with the patterns a coordinator and the watcher have to spot (demo/lives.py).

The rows are what the app would have written. The life of each relationship is a list of
steps (matched, first meeting held, paused, resumed, closed, reopened, ending agreed) taken
through ``relationships.transitions.relationships_transition_many``, which writes the dated
``RelationshipChange`` rows and the audit events, and moves the mentee's referral as the
app's own steps do. Around them: ``Pause`` periods, ``next_review_on`` one interval after
the last review due, and a first held meeting on the day the match became active. Meetings
are streamed in chunks with ids counted in advance (demo/rows.py), so a national seed of
about a million meetings keeps memory flat.
"""

import datetime
import random
import zoneinfo
from collections import defaultdict

from django.conf import settings

from accounts.models import User
from demo.lives import DAY, FADING, HEALTHY, NEVER_MET, RS, Life
from demo.meetings import Contacts
from demo.plans import ENDING_PLANS, Plans
from demo.rows import BATCH, MEETING_COLUMNS, Ids, Rows, insert_rows
from mentees.models import Mentee, Referral, Situation
from relationships.life.closures import REFERRAL_EXIT_FOR_CLOSURE
from relationships.models import Goal, GoalScore, Meeting, Pause, Relationship, Review, Step
from relationships.transitions import Move, relationships_transition_many
from schemes.models import Mentor, Scheme

MEETING_CHUNK = 50_000
R = Relationship
FINAL_REVIEWS = {
    "planned": "Goals reviewed together. Ending as planned, with a handover to community support.",
    "unplanned": "Ended without a final meeting; recorded from the coordinator's notes.",
}
#: The closure undone when a relationship is reopened: the mentee had lost touch.
LOST_TOUCH: dict[str, str] = {
    "closure_type": R.ClosureType.UNPLANNED,
    "closure_reason": R.ClosureReason.LOST_CONTACT,
    "contact_after": R.ContactAfter.NONE,
}


def timeline(life: Life) -> list[tuple[str, datetime.date]]:
    """The steps of one life, in order, each with its day. Steps named ``past_...`` are a
    pause, or a closure, undone later; the last step leaves the relationship in its state."""
    steps = [("match", life.matched_on)]
    if life.first_met:
        steps.append(("first_meeting", life.first_met))
        if life.past_pause and life.past_pause[0] > life.first_met:
            steps += [("past_pause", life.past_pause[0]), ("resume", life.past_pause[1])]
        if life.reopen and life.reopen[0] > life.first_met:
            steps += [("past_close", life.reopen[0]), ("reopen", life.reopen[1])]
    if life.state == RS.PAUSED and life.paused_on:
        steps.append(("pause", life.paused_on))
    elif life.state == RS.ENDING and life.ending_on:
        steps.append(("agree_ending", max(life.ending_on, steps[-1][1])))
    elif life.state == RS.CLOSED and life.closed_on:
        steps.append(("close", life.closed_on))
    return steps


def _closing(relationship: Relationship, on: datetime.date, closure: dict[str, str]) -> Move:
    """A closure, in the words and codes the app's own closing writes; the referral ends
    with the exit reason that matches."""
    planned = closure["closure_type"] == R.ClosureType.PLANNED
    words = (
        f"{R.ClosureType(closure['closure_type']).label}: "
        f"{R.ClosureReason(closure['closure_reason']).label}. "
        f"Contact after: {R.ContactAfter(closure['contact_after']).label.lower()}"
    )
    return Move(
        relationship,
        "close",
        on,
        reason=words,
        note=FINAL_REVIEWS[closure["closure_type"]],
        detail={**closure, "referral": None},
        referral_exit_reason=(
            Referral.ExitReason.COMPLETED
            if planned
            else REFERRAL_EXIT_FOR_CLOSURE[closure["closure_reason"]]
        ),
        referral_note="The relationship closed.",
    )


def moves_of(relationship: Relationship, mentor: Mentor, life: Life) -> list[Move]:
    """The steps of one life as the app takes them: the reasons, notes and audit details its
    services give (the referral's id is filled in once the referral exists)."""
    moves: list[Move] = []
    for step, on in timeline(life):
        if step == "match":
            move = Move(relationship, step, on, reason="Matched")
            move.referral_note = f"Matched with {mentor}"
        elif step == "first_meeting":
            move = Move(relationship, step, on, reason="First meeting held")
        elif step in ("past_pause", "pause"):
            why = Pause.Reason.MENTOR_BREAK if step == "past_pause" else life.pause_reason
            label = Pause.Reason(why).label
            move = Move(relationship, "pause", on, reason=label, detail={"reason": why})
        elif step == "resume":
            move = Move(relationship, step, on, reason="Resumed", to_status=RS.ACTIVE)
        elif step == "past_close":
            move = _closing(relationship, on, LOST_TOUCH)
        elif step == "reopen":
            closure = {"closed_on": moves[-1].on.isoformat(), **LOST_TOUCH}
            move = Move(relationship, step, on, reason="The mentee got back in touch.")
            move.detail = {"previous_closure": closure, "referral": None}
            move.referral_note = "The relationship was reopened."
        elif step == "agree_ending":
            planned_end = relationship.planned_end_on
            move = Move(relationship, step, on, note=relationship.exit_plan)
            move.reason = f"Exit plan agreed; planned end {planned_end:%d %b %Y}"
            move.detail = {"planned_end_on": planned_end.isoformat() if planned_end else None}
        else:  # the last closure, with the relationship's own codes
            closure = {
                "closure_type": relationship.closure_type,
                "closure_reason": relationship.closure_reason,
                "contact_after": relationship.contact_after,
            }
            move = _closing(relationship, on, closure)
        moves.append(move)
    return moves


class RelationshipLifeSeeder:
    """Writes relationships with their whole history, streaming meetings in chunks.

    ``write`` plans every life and writes what hangs off the relationships (meetings, goals,
    reviews, pauses); ``finish`` then creates the relationships through their steps, once
    the mentees' referrals exist to follow them.
    """

    def __init__(self, *, seed: int, today: datetime.date) -> None:
        # Its own stream, so the people and mentors stay the same whatever is added here.
        self.rng = random.Random(f"relationship-lives-{seed}")
        self.today = today
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.rows = Rows()
        self.counts: dict[str, int] = {}
        self.ids = Ids([Relationship, Goal, Review, Meeting])
        self.contacts = Contacts(rng=self.rng, now=datetime.datetime.now(tz=zone))
        self.plans = Plans(rng=self.rng, today=today, rows=self.rows, new_id=self.ids)
        self.moves: list[Move] = []
        self.coordinator_for: dict[int, User] = {}

    def write(
        self,
        items: list[tuple[Mentee, Mentor, Life]],
        *,
        coordinator_for: dict[int, User],
        schemes: dict[int, Scheme],
    ) -> list[Relationship]:
        """Plan every relationship and write its history but the relationship itself (not
        saved yet, returned). ``coordinator_for`` gives, by scheme id, the user who matched
        and reviewed for the scheme."""
        self.coordinator_for = coordinator_for
        relationships = []
        for mentee, mentor, life in items:
            by = coordinator_for[mentee.scheme_id]
            relationship = Relationship(
                id=self.ids(Relationship),
                mentee=mentee,
                mentor=mentor,
                matched_on=life.matched_on,
                matched_by=by,
                matched_in_custody=mentee.situation == Situation.IN_CUSTODY,
                closed_on=life.closed_on,
                closure_type=life.closure_type,
                closure_reason=life.closure_reason,
            )
            self._life(relationship, mentee, mentor, life, schemes[mentee.scheme_id], by.pk)
            self.moves += moves_of(relationship, mentor, life)
            relationships.append(relationship)
            if len(self.rows.meetings) >= MEETING_CHUNK:
                self._flush_meetings()
        self._flush_meetings()
        rows = self.rows
        Pause.objects.bulk_create(rows.pauses, batch_size=BATCH)
        Step.objects.bulk_create(rows.steps, batch_size=BATCH)
        Review.objects.bulk_create(rows.reviews, batch_size=BATCH)
        GoalScore.objects.bulk_create(rows.scores, batch_size=BATCH)
        for name, objects in (
            ("pauses", rows.pauses),
            ("steps", rows.steps),
            ("reviews", rows.reviews),
            ("goal scores", rows.scores),
        ):
            self.counts[name] = len(objects)
        return relationships

    def finish(self, *, referral_for: dict[int, int]) -> None:
        """Create the relationships through their steps, a batch per coordinator (who took
        them); the referrals (``referral_for``: their ids by mentee id) follow."""
        by_coordinator: dict[User, list[Move]] = defaultdict(list)
        for move in self.moves:
            if "referral" in move.detail:
                move.detail["referral"] = referral_for.get(move.relationship.mentee_id)
            by_coordinator[self.coordinator_for[move.relationship.mentee.scheme_id]].append(move)
        for by, moves in by_coordinator.items():
            relationships_transition_many(by=by, moves=moves)
        self.counts["relationship changes"] = len(self.moves)
        self.ids.reset_sequences()

    def _flush_meetings(self) -> None:
        """Write the meetings made so far (and the goals they touch), then let them go."""
        rows = self.rows
        Goal.objects.bulk_create(rows.goals, batch_size=BATCH)
        insert_rows(Meeting, MEETING_COLUMNS, rows.meetings)
        insert_rows(Meeting.goals.through, ["meeting", "goal"], rows.touched)
        for name, count in (
            ("goals", len(rows.goals)),
            ("meetings", len(rows.meetings)),
            ("meeting goal links", len(rows.touched)),
        ):
            self.counts[name] = self.counts.get(name, 0) + count
        rows.goals, rows.meetings, rows.touched = [], [], []

    # One relationship ---------------------------------------------------------------------

    def _life(
        self,
        relationship: Relationship,
        mentee: Mentee,
        mentor: Mentor,
        life: Life,
        scheme: Scheme,
        by: int,
    ) -> None:
        """Its contacts, pauses, plan and reviews, and the fields its state carries."""
        rng, today = self.rng, self.today
        interval = DAY * 7 * scheme.review_interval_weeks
        # Meetings stop at closure, at the pause, or yesterday.
        end = life.closed_on or life.paused_on or today - DAY
        if life.pattern == FADING and life.state != RS.CLOSED:
            end = today - DAY * rng.randint(24, 60)
        gaps = [g for g in (life.past_pause, life.reopen) if g]
        contacts = list(self.contacts.of(life, mentee, max(end, life.matched_on), gaps))
        held = [c for c in contacts if c[2] == Meeting.Outcome.MET]
        life.first_met = held[0][0].date() if held else None
        if life.state != RS.INTRODUCED and life.state != RS.CLOSED and not held:
            life.pattern = NEVER_MET  # could not fit a meeting in: keep the data honest
            life.state = RS.INTRODUCED
            life.paused_on = life.ending_on = None
            life.reopen = life.past_pause = None
        self._pauses(relationship, life)
        goals = self.plans.goals(relationship.pk, mentor.user_id or by, life)
        reviews_end = self.plans.reviews_end(life, contacts)
        last_due = self.plans.reviews(relationship.pk, life, goals, reviews_end, interval, by)
        self._state_fields(relationship, life, last_due, interval)
        self.contacts.add_rows(
            self.rows,
            self.ids,
            relationship.pk,
            contacts,
            [g for g, _ in goals],
            logged_by=mentor.user_id,
        )

    def _pauses(self, relationship: Relationship, life: Life) -> None:
        """A break taken and ended in the past, and the pause a paused relationship is in."""
        steps = dict(timeline(life))
        if "past_pause" in steps:
            self.rows.pauses.append(
                Pause(
                    relationship_id=relationship.pk,
                    reason=Pause.Reason.MENTOR_BREAK,
                    starts_on=steps["past_pause"],
                    ends_on=steps["resume"],
                )
            )
        if "pause" in steps:
            self.rows.pauses.append(
                Pause(
                    relationship_id=relationship.pk,
                    reason=life.pause_reason,
                    starts_on=steps["pause"],
                )
            )
        if "agree_ending" in steps:
            life.ending_on = steps["agree_ending"]

    def _state_fields(
        self,
        relationship: Relationship,
        life: Life,
        last_due: datetime.date | None,
        interval: datetime.timedelta,
    ) -> None:
        """What its state carries: the final review of a closed one, the next review of an
        open one, the exit plan of one ending."""
        if life.state == RS.CLOSED:
            relationship.final_review = FINAL_REVIEWS[life.closure_type]
            relationship.contact_after = (
                R.ContactAfter.THROUGH_SCHEME
                if life.closure_type == "planned"
                else R.ContactAfter.NONE
            )
            if life.closure_type == "planned":
                relationship.exit_plan = ENDING_PLANS[HEALTHY]
                relationship.planned_end_on = life.closed_on
        else:
            relationship.next_review_on = (last_due or life.matched_on) + interval
        if life.state == RS.ENDING:
            relationship.exit_plan = ENDING_PLANS[HEALTHY]
            relationship.planned_end_on = self.today + DAY * self.rng.randint(7, 42)
