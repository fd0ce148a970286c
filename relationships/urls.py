from django.urls import path

from relationships import list_views, views
from relationships.matching import offer_views
from relationships.matching import views as matching_views
from relationships.meetings import plan_answer_views
from relationships.meetings import plan_views as planned_views
from relationships.meetings import views as meeting_views
from relationships.plans import views as plan_views

app_name = "relationships"

urlpatterns = [
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/", list_views.relationship_list, name="list"),
    path("relationships/<int:pk>/", views.relationship_detail, name="detail"),
]

# --- Goal plans, reviews and the relationship's life (relationships/plans/views.py) --------
urlpatterns += [
    path("relationships/<int:pk>/goals/new/", plan_views.goal_add, name="goal_add"),
    path("relationships/goals/<int:pk>/edit/", plan_views.goal_edit, name="goal_edit"),
    path("relationships/goals/<int:pk>/status/", plan_views.goal_status, name="goal_status"),
    path("relationships/goals/<int:pk>/steps/new/", plan_views.step_add, name="step_add"),
    path("relationships/steps/<int:pk>/edit/", plan_views.step_edit, name="step_edit"),
    path("relationships/steps/<int:pk>/done/", plan_views.step_done, name="step_done"),
    path("relationships/<int:pk>/reviews/new/", plan_views.review_add, name="review_add"),
    path("relationships/<int:pk>/pause/", plan_views.relationship_pause, name="pause"),
    path("relationships/<int:pk>/resume/", plan_views.relationship_resume, name="resume"),
    path("relationships/<int:pk>/ending/", plan_views.relationship_ending, name="ending"),
    path("relationships/<int:pk>/close/", plan_views.relationship_close, name="close"),
    path("relationships/<int:pk>/reopen/", plan_views.relationship_reopen, name="reopen"),
]

# --- Matching (relationships/matching/views.py) ---------------------------------------
urlpatterns += [
    path(
        "match/<int:mentee_pk>/",
        matching_views.match_suggestions,
        name="match_suggestions",
    ),
    path(
        "match/<int:mentee_pk>/mentor/<int:mentor_pk>/",
        matching_views.match_confirm,
        name="match_confirm",
    ),
    path(
        "relationships/<int:pk>/unmatch/",
        matching_views.relationship_unmatch,
        name="unmatch",
    ),
]

# --- Offers of a match (relationships/matching/offer_views.py) ---------------------------
urlpatterns += [
    path("offers/", offer_views.offer_list, name="offer_list"),
    path("offers/<int:pk>/", offer_views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/accept/", offer_views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", offer_views.offer_decline, name="offer_decline"),
    path("offers/<int:pk>/withdraw/", offer_views.offer_withdraw, name="offer_withdraw"),
]

# Meetings: logged on the mentor's phone (relationships.meetings.views).
urlpatterns += [
    path("relationships/<int:pk>/meetings/", meeting_views.meeting_list, name="meetings"),
    path("relationships/<int:pk>/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
]

# Planned meetings: planned, moved or cancelled ahead of time (relationships.meetings.plan_views).
urlpatterns += [
    path("relationships/<int:pk>/plans/new/", planned_views.plan_new, name="plan_new"),
    path("relationships/plans/<int:pk>/move/", planned_views.plan_move_view, name="plan_move"),
    path(
        "relationships/plans/<int:pk>/cancel/", planned_views.plan_cancel_view, name="plan_cancel"
    ),
]

# "Did it happen?": answering a planned meeting (relationships.meetings.plan_answer_views).
urlpatterns += [
    path("plans/<int:pk>/did-it-happen/", plan_answer_views.plan_answer, name="plan_answer"),
    path(
        "plans/<int:pk>/did-it-happen/<str:answer>/",
        plan_answer_views.plan_answer_not_held_view,
        name="plan_answer_not_held",
    ),
]
