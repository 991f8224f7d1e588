from django.urls import path

from civicline.notifications import views

urlpatterns = [
    path("", views.delivery_log, name="delivery-log"),
]
