from django.urls import path

from . import public

app_name = "moderation"
urlpatterns = [
    path("@<str:username>/report/", public.report_profile, name="report"),
]
