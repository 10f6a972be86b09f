from django.urls import path

from . import views

app_name = "payouts"
urlpatterns = [
    path("me/payouts/", views.payouts_page, name="claims"),
]
