from django.urls import path

from relationships import views

app_name = "relationships"

urlpatterns = [
    path("mentees/", views.my_mentees, name="my_mentees"),
]
