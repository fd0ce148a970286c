from django.urls import path

from schemes.mentors import self_views
from schemes.mentors import views as views

app_name = "mentors"

urlpatterns = [
    path("", views.mentor_list, name="list"),
    path("new/", views.mentor_new, name="new"),
    path("<int:pk>/", views.mentor_detail, name="detail"),
    path("<int:pk>/edit/", views.mentor_edit, name="edit"),
    path("<int:pk>/status/", views.mentor_status, name="status"),
    path("<int:pk>/dbs/add/", views.mentor_dbs_add, name="dbs_add"),
    path("<int:pk>/clearances/add/", views.mentor_clearance_add, name="clearance_add"),
    path("<int:pk>/training/add/", views.mentor_training_add, name="training_add"),
    path("<int:pk>/references/add/", views.mentor_reference_add, name="reference_add"),
    path("<int:pk>/availability/", views.mentor_availability, name="availability"),
    path("<int:pk>/away/add/", views.mentor_unavailable_add, name="unavailable_add"),
    path("<int:pk>/supervision/add/", views.mentor_supervision_add, name="supervision_add"),
    path(
        "<int:pk>/capacity/<int:request_pk>/decide/",
        self_views.capacity_decide,
        name="capacity_decide",
    ),
    # The mentor's own profile: their file only (404 for anyone else's).
    path("you/", self_views.own_profile, name="own"),
    path("you/<int:pk>/", self_views.own_detail, name="own_detail"),
    path("you/<int:pk>/availability/", self_views.own_availability, name="own_availability"),
    path("you/<int:pk>/away/add/", self_views.own_away_add, name="own_away_add"),
    path(
        "you/<int:pk>/away/<int:period_pk>/remove/",
        self_views.own_away_remove,
        name="own_away_remove",
    ),
    path("you/<int:pk>/capacity/", self_views.own_capacity, name="own_capacity"),
    path("you/<int:pk>/contact/", self_views.own_contact, name="own_contact"),
    path("you/<int:pk>/reflection/", self_views.own_reflection, name="own_reflection"),
]
