from django.urls import path

from schemes import views

app_name = "schemes"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_new, name="new"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/edit/", views.scheme_edit, name="edit"),
    path("<int:pk>/funding/new/", views.funding_add, name="funding_add"),
    path("<int:pk>/funding/<int:funding_pk>/remove/", views.funding_remove, name="funding_remove"),
    path("<int:pk>/targets/new/", views.target_add, name="target_add"),
    path("<int:pk>/targets/<int:target_pk>/remove/", views.target_remove, name="target_remove"),
    path("<int:pk>/coordinators/new/", views.coordinator_add, name="coordinator_add"),
]
