from django.urls import path

from accounts.second_factor import views

app_name = "second_factor"

urlpatterns = [
    path("set-up/", views.enrol, name="enrol"),
    path("code/", views.verify, name="verify"),
]
