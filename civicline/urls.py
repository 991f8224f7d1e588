from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from civicline.api import api
from civicline.cases import views as case_views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/cti/", include("civicline.telephony.cti_urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("civicline.open311.urls")),
    path("photos/<uuid:key>.jpg", case_views.photo, name="photo"),
    path("portal/", include("civicline.portal.urls")),
    path("knowledge/", include("civicline.knowledge.urls")),
    path("field/", include("civicline.workorders.urls")),
    path("notifications/", include("civicline.notifications.urls")),
    path("dashboard/", include("civicline.dashboard.urls")),
    path("", include("civicline.desk.urls")),
]
