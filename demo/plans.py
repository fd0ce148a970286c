"""The plan and reviews of each demo relationship: goals agreed after the first meeting,
each with steps, and reviews at the scheme's interval with a score for each goal, in the
shape of the relationship's pattern (demo/lives.py)."""

import datetime
import random
from collections.abc import Callable

from demo.lives import (
    BRIEF,
    DAY,
    FADING,
    HEALTHY,
    MENTOR_DRIVEN,
    MISSED,
    RS,
    SHORT,
    TOO_LONG,
    Life,
    pick,
)
from demo.meetings import Contact
from demo.rows import Rows
from mentees.models import NeedDomain
from relationships.models import Driving, Goal, GoalScore, Party, PrimaryGood, Review, Step

GOOD_FOR: dict[str, list[str]] = {
    NeedDomain.ACCOMMODATION: [PrimaryGood.INNER_PEACE, PrimaryGood.LIFE_HEALTH],
    NeedDomain.ETE: [PrimaryGood.EXCELLENCE, PrimaryGood.KNOWLEDGE, PrimaryGood.AGENCY],
    NeedDomain.FINANCE: [PrimaryGood.AGENCY, PrimaryGood.INNER_PEACE],
    NeedDomain.SUBSTANCE_USE: [PrimaryGood.LIFE_HEALTH, PrimaryGood.INNER_PEACE],
    NeedDomain.HEALTH: [PrimaryGood.LIFE_HEALTH],
    NeedDomain.FAMILY: [PrimaryGood.RELATEDNESS, PrimaryGood.COMMUNITY],
    NeedDomain.THINKING: [PrimaryGood.AGENCY, PrimaryGood.INNER_PEACE, PrimaryGood.CREATIVITY],
}
GOAL_TITLES: dict[str, str] = {
    NeedDomain.ACCOMMODATION: "Get my own place and keep it",
    NeedDomain.ETE: "Get on a course and find work",
    NeedDomain.FINANCE: "Sort out my benefits and debts",
    NeedDomain.SUBSTANCE_USE: "Stay off drink and drugs",
    NeedDomain.HEALTH: "Get a GP and look after my health",
    NeedDomain.FAMILY: "See my kids regularly again",
    NeedDomain.THINKING: "Keep my temper when things go wrong",
}
STEP_TEXTS = [
    "Ring the council housing team",
    "Fill in the application form",
    "Go to the appointment at the job centre",
    "Open a bank account",
    "Book a GP appointment",
    "Write a letter to the family court",
    "Look up courses at the college",
    "Go to the recovery group on Thursday",
]
ENDING_PLANS = {
    HEALTHY: "About three more months, tapering to fortnightly, then a handover to the hub.",
    MENTOR_DRIVEN: "Not discussed in detail yet; the mentor wants to keep going for now.",
    TOO_LONG: "No end date agreed; we'll keep meeting.",
    FADING: "Review the ending at the next meeting.",
    MISSED: "Review the ending at the next meeting.",
}

#: A goal with its steps, each beside the day it was made.
Planned = tuple[Goal, list[tuple[datetime.date, Step]]]


class Plans:
    """Makes each relationship's goals, steps, reviews and scores, from one random stream."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: datetime.date,
        rows: Rows,
        new_id: Callable[[type[Goal] | type[Review]], int],
    ) -> None:
        self.rng = rng
        self.today = today
        self.rows = rows
        self.new_id = new_id

    def goals(self, relationship_id: int, made_by: int, life: Life) -> list[Planned]:
        """Goals agreed after the first meeting, each with steps."""
        if life.first_met is None:
            return []
        rng, pattern = self.rng, life.pattern
        end = life.closed_on or self.today
        count = rng.randint(1, 3) if pattern != MENTOR_DRIVEN else 3
        domains = rng.sample(NeedDomain.values, k=count)
        out = []
        for g, domain in enumerate(domains):
            spacing = 40 if pattern == MENTOR_DRIVEN else 10
            agreed = min(end, life.first_met + DAY * (rng.randint(0, 14) + g * spacing))
            if pattern == MENTOR_DRIVEN and g > 0:
                proposed = Party.MENTOR
            elif pattern == MENTOR_DRIVEN:
                proposed = Party.TOGETHER
            else:
                proposed = pick(rng, [(Party.MENTEE, 45), (Party.TOGETHER, 45), (Party.MENTOR, 10)])
            status, closed_on = self._goal_end(life, g, agreed, end)
            goal = Goal(
                id=self.new_id(Goal),
                relationship_id=relationship_id,
                title=GOAL_TITLES[domain],
                proposed_by=proposed,
                domain=domain,
                primary_good=rng.choice(GOOD_FOR[domain]),
                status=status,
                agreed_on=agreed,
                closed_on=max(closed_on, agreed) if closed_on else None,
                created_by_id=made_by,
            )
            self.rows.goals.append(goal)
            out.append((goal, self._steps(goal, g, life.pattern, end)))
        return out

    def _goal_end(
        self, life: Life, g: int, agreed: datetime.date, end: datetime.date
    ) -> tuple[str, datetime.date | None]:
        """Where the ``g``-th goal stands, and since when if it is no longer open."""
        if life.pattern == TOO_LONG:
            return Goal.Status.ACHIEVED, min(end, agreed + DAY * self.rng.randint(40, 100))
        if life.state == RS.CLOSED and life.closure_type == "planned":
            return Goal.Status.ACHIEVED, end
        if life.state == RS.CLOSED:
            return Goal.Status.DROPPED, end
        if life.state == RS.ENDING and g == 0:
            return Goal.Status.ACHIEVED, life.ending_on
        return Goal.Status.ACTIVE, None

    def _steps(
        self, goal: Goal, g: int, pattern: str, end: datetime.date
    ) -> list[tuple[datetime.date, Step]]:
        rng, agreed = self.rng, goal.agreed_on
        steps = []
        for j in range(rng.randint(2, 4)):
            due = agreed + DAY * (14 * (j + 1))
            if pattern == MENTOR_DRIVEN:
                owner = Party.MENTEE if g == 0 and j == 0 else Party.MENTOR
            else:
                owner = pick(rng, [(Party.MENTEE, 50), (Party.TOGETHER, 35), (Party.MENTOR, 15)])
            done = due <= end and (pattern in (HEALTHY, TOO_LONG) or rng.random() < 0.4)
            step = Step(
                goal_id=goal.pk,
                description=rng.choice(STEP_TEXTS),
                owner=owner,
                due_on=due,
                status=Step.Status.DONE if done else Step.Status.TO_DO,
                done_on=min(due, end) if done else None,
            )
            steps.append((agreed + DAY * 14 * j, step))
            self.rows.steps.append(step)
        return steps

    def reviews_end(self, life: Life, contacts: list[Contact]) -> datetime.date:
        """Reviews stop when a relationship stalls: that is what makes them overdue."""
        if life.pattern in (BRIEF, SHORT) and contacts:
            return contacts[-1][0].date()
        if life.pattern in (FADING, MISSED) and contacts:
            cut = len(contacts) * 3 // 5 if life.pattern == FADING else max(0, len(contacts) - 6)
            return contacts[cut][0].date()
        if life.state == RS.CLOSED and life.closed_on:
            return life.closed_on
        if life.state == RS.PAUSED and life.paused_on:
            return life.paused_on
        return self.today

    def reviews(
        self,
        relationship_id: int,
        life: Life,
        goals: list[Planned],
        until: datetime.date,
        interval: datetime.timedelta,
        by: int,
    ) -> datetime.date | None:
        """Reviews due every ``interval`` from the match, held from the first meeting until
        ``until``; returns the day the last one held was due."""
        if life.first_met is None:
            return None
        rng, pattern = self.rng, life.pattern
        due = life.matched_on + interval
        last_due = None
        n = 0
        while due <= until:
            if due < life.first_met:
                due += interval
                continue
            held_on = min(due + DAY * rng.randint(-3, 6), until, self.today)
            held_on = max(held_on, life.first_met)
            in_plan = [(g, s) for g, s in goals if g.agreed_on <= held_on]
            steps = [step for g, s in in_plan for made, step in s if made <= held_on]
            mentee_view, mentor_view = self._views(pattern, n)
            rating = min(10, 5 + n) if pattern == HEALTHY else rng.randint(4, 7)
            review = Review(
                id=self.new_id(Review),
                relationship_id=relationship_id,
                held_on=held_on,
                due_on=due,
                mentee_driving=mentee_view,
                mentor_driving=mentor_view,
                mentee_rating=rating if pattern != MENTOR_DRIVEN else max(1, 6 - n),
                mentor_rating=min(10, rating + rng.randint(0, 1)),
                goal_changes="",
                ending_plan=ENDING_PLANS.get(pattern, ENDING_PLANS[HEALTHY]),
                steps_total=len(steps),
                steps_owned_by_mentee=sum(1 for s in steps if s.owner == Party.MENTEE),
                recorded_by_id=by,
            )
            self.rows.reviews.append(review)
            self._scores(review, [g for g, _ in in_plan], pattern)
            last_due = due
            due += interval
            n += 1
        return last_due

    def _views(self, pattern: str, n: int) -> tuple[str, str]:
        """Who each side says drives the relationship, at the ``n``-th review."""
        if pattern == MENTOR_DRIVEN:
            if n == 0:
                return Driving.SHARED, Driving.SHARED
            return Driving.MENTOR_LED, Driving.SHARED
        if pattern == TOO_LONG:
            return Driving.MENTOR_LED, Driving.SHARED
        if pattern == HEALTHY:
            mentee_view = Driving.MENTEE_LED if n > 1 else Driving.SHARED
            return mentee_view, self.rng.choice([Driving.SHARED, Driving.MENTEE_LED])
        return Driving.SHARED, Driving.SHARED

    def _scores(self, review: Review, goals: list[Goal], pattern: str) -> None:
        """A score for each goal still open at the review, moving as the pattern goes."""
        rng, held_on = self.rng, review.held_on
        for goal in goals:
            if goal.closed_on and goal.closed_on < held_on:
                continue
            age = (held_on - goal.agreed_on).days // 42
            if pattern == HEALTHY:
                score = 3 + age + rng.randint(0, 1)
            elif pattern == TOO_LONG:
                score = 5 + age
            elif pattern in (FADING, MISSED):
                score = 4 - min(2, age // 2) + rng.randint(0, 1)
            else:
                score = rng.randint(3, 5)
            self.rows.scores.append(
                GoalScore(
                    review_id=review.pk,
                    goal_id=goal.pk,
                    domain=goal.domain,
                    score=max(1, min(10, score)),
                )
            )
