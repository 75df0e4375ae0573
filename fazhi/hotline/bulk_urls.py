from django.urls import path

from fazhi.hotline import bulk_views

app_name = "hotline_data"

urlpatterns = [
    path("import/", bulk_views.import_page, name="import"),
    path("import/template.xlsx", bulk_views.import_template, name="import_template"),
    path("import/<int:pk>/file/", bulk_views.import_file, name="import_file"),
    path("export/", bulk_views.export, name="export"),
]
