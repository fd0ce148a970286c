from django.urls import path

from schemes.mentors import views as views

app_name = "mentors"

urlpatterns = [
    path("", views.mentor_list, name="list"),
    path("new/", views.mentor_new, name="new"),
    path("<int:pk>/", views.mentor_detail, name="detail"),
    path("<int:pk>/edit/", views.mentor_edit, name="edit"),
    path("<int:pk>/status/", views.mentor_status, name="status"),
    path("<int:pk>/dbs/add/", views.mentor_dbs_add, name="dbs_add"),
    path("<int:pk>/clearances/add/", views.mentor_clearance_add, name="clearance_add"),
    path("<int:pk>/training/add/", views.mentor_training_add, name="training_add"),
    path("<int:pk>/references/add/", views.mentor_reference_add, name="reference_add"),
    path("<int:pk>/availability/", views.mentor_availability, name="availability"),
    path("<int:pk>/away/add/", views.mentor_unavailable_add, name="unavailable_add"),
    path("<int:pk>/supervision/add/", views.mentor_supervision_add, name="supervision_add"),
]
