from django.urls import path

from tahaluf.organizations import views

app_name = "organizations"
urlpatterns = [
    path("organizations/", views.organization_list, name="list"),
    path("organizations/new/", views.organization_create, name="create"),
    path("organizations/import/", views.import_start, name="import"),
    path("organizations/import/<int:pk>/", views.import_status, name="import_status"),
    path("organizations/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("organizations/<int:pk>/", views.organization_detail, name="detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="edit"),
    path("organizations/<int:pk>/publish/", views.organization_publish, name="publish"),
    path("organizations/<int:pk>/delete/", views.organization_delete, name="delete"),
    path("organizations/<int:pk>/merge/<int:other_pk>/", views.organization_merge, name="merge"),
    path("organizations/<int:pk>/members/new/", views.organization_add_member, name="add_member"),
    path(
        "organizations/<int:pk>/positions/new/",
        views.organization_add_position,
        name="add_position",
    ),
    path("organizations/<int:pk>/sources/new/", views.organization_add_source, name="add_source"),
    path(
        "union-memberships/<int:pk>/delete/",
        views.union_membership_delete,
        name="union_membership_delete",
    ),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/publish/", views.person_publish, name="person_publish"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:pk>/sources/new/", views.person_add_source, name="person_add_source"),
]
