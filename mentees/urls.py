from django.urls import path

from mentees import views

app_name = "mentees"

urlpatterns = [
    path("", views.mentee_list, name="list"),
    path("<int:pk>/", views.mentee_detail, name="detail"),
]
