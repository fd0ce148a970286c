from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("people/<int:pk>/erase/", views.person_erase, name="erase"),
    path("people/<int:pk>/access/", views.subject_access, name="access"),
    path("people/<int:pk>/access/new/", views.subject_access_generate, name="access_generate"),
    path("access/<int:pk>/", views.subject_access_review, name="access_review"),
    path("access/<int:pk>/release/", views.subject_access_release, name="access_release"),
    path(
        "access/<int:pk>/download.<str:fmt>",
        views.subject_access_download,
        name="access_download",
    ),
]
