from django.urls import path

from relationships import views

app_name = "relationships"

urlpatterns = [
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/<int:pk>/", views.relationship_detail, name="detail"),
]
