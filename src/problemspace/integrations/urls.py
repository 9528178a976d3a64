from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.integrations import views

app_name = "integrations"
urlpatterns: list[URLPattern] = [
    path("integrations/", views.index, name="index"),
    path("integrations/export/", views.export, name="export"),
    path("integrations/endpoints/new/", views.create_endpoint, name="create"),
    path("integrations/endpoints/<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("integrations/endpoints/<int:pk>/edit/", views.edit_endpoint, name="edit"),
    path("integrations/endpoints/<int:pk>/delete/", views.delete_endpoint, name="delete"),
    path("integrations/endpoints/<int:pk>/secret/", views.rotate_secret, name="rotate_secret"),
    path("integrations/endpoints/<int:pk>/test/", views.send_test, name="test"),
    path("integrations/deliveries/", views.delivery_log, name="deliveries"),
    path("integrations/deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("integrations/deliveries/<int:pk>/redeliver/", views.redeliver, name="redeliver"),
]
