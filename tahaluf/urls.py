from django.urls import include, path
from django.views.i18n import set_language

from tahaluf import views
from tahaluf.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("tahaluf.accounts.urls")),
    path("api/v1/", api.urls),
    path("", include("tahaluf.organizations.urls")),
    path("", include("tahaluf.search.urls")),
]

handler400 = "tahaluf.views.bad_request"
handler403 = "tahaluf.views.forbidden"
handler404 = "tahaluf.views.not_found"
handler500 = "tahaluf.views.server_error"
