from __future__ import annotations

from django.urls import URLPattern, path

from problemspace.customers import views

app_name = "customers"
urlpatterns: list[URLPattern] = [
    path("accounts/", views.account_list, name="list"),
    path("accounts/<int:pk>/", views.account_detail, name="detail"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("accounts/<int:pk>/merge/", views.merge_account, name="merge"),
    path("contacts/<int:pk>/merge/", views.merge_contact, name="merge_contact"),
]
