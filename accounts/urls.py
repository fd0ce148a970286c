from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("invite/", views.person_invite, name="invite"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/access/", views.person_set_active, name="set_active"),
    path(
        "<int:pk>/second-factor/reset/",
        views.second_factor_reset_view,
        name="second_factor_reset",
    ),
    path(
        "<int:pk>/roles/<int:membership_pk>/remove/",
        views.membership_delete,
        name="membership_remove",
    ),
]
