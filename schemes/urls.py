from django.urls import path

from schemes import views

app_name = "schemes"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_new, name="new"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/edit/", views.scheme_edit, name="edit"),
]
