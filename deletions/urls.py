from django.urls import path

from . import views

app_name = "deletions"
urlpatterns = [
    path("data.json", views.data_export, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("delete/cancel/", views.cancel_deletion, name="cancel"),
]
