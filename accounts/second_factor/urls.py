from django.urls import path

from accounts.second_factor import views

app_name = "second_factor"

urlpatterns = [
    path("set-up/", views.enrol, name="enrol"),
    path("set-up/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("set-up/recovery-codes/new/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("code/", views.verify, name="verify"),
]
