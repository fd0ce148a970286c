from django.urls import path

from mentees import views
from mentees.assessment import views as assessment
from mentees.equality import views as equality

app_name = "mentees"

urlpatterns = [
    path("", views.mentee_list, name="list"),
    path("new-referral/", views.referral_new, name="referral_new"),
    path("waiting/", views.waiting, name="waiting"),
    path("<int:pk>/", views.mentee_detail, name="detail"),
    path("<int:pk>/edit/", views.mentee_edit, name="edit"),
    path("<int:pk>/refer-again/", views.referral_reopen, name="referral_reopen"),
    path("<int:pk>/consent/", assessment.consent_new, name="consent_new"),
    path("<int:pk>/consent/withdraw/", assessment.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/readiness/", assessment.readiness_edit, name="readiness"),
    path("<int:pk>/needs/", assessment.needs_edit, name="needs"),
    path("<int:pk>/equality/", equality.equality_edit, name="equality"),
    path("<int:pk>/equality/remove/", equality.equality_clear, name="equality_clear"),
    path("<int:pk>/restrictions/new/", assessment.restriction_new, name="restriction_new"),
    path(
        "<int:pk>/restrictions/<int:restriction_pk>/end/",
        assessment.restriction_end,
        name="restriction_end",
    ),
    path("referrals/<int:pk>/move/", views.referral_move, name="referral_move"),
    path(
        "referrals/<int:pk>/start-assessment/",
        views.referral_start_assessment,
        name="referral_start_assessment",
    ),
    path(
        "referrals/<int:pk>/add-to-waiting-list/",
        views.referral_add_to_waiting_list,
        name="referral_add_to_waiting_list",
    ),
    path(
        "referrals/<int:pk>/contact-attempts/new/",
        views.contact_attempt_new,
        name="contact_attempt_new",
    ),
]
