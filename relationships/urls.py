from django.urls import path

from relationships import list_views, views

app_name = "relationships"

urlpatterns = [
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/", list_views.relationship_list, name="list"),
    path("relationships/<int:pk>/", views.relationship_detail, name="detail"),
]
