from django.urls import path

from relationships import views

app_name = "relationships"

urlpatterns = [
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/<int:pk>/", views.relationship_detail, name="detail"),
]

# Matching
from relationships import matching_views  # noqa: E402

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
