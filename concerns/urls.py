from django.urls import path

from concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/<int:mentee_pk>/", views.concern_new, name="new"),
    path("<int:pk>/", views.concern_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.concern_acknowledge, name="acknowledge"),
    path("<int:pk>/action/", views.concern_action_add, name="action"),
    path("<int:pk>/close/", views.concern_close, name="close"),
]
