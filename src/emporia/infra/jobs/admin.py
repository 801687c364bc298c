from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "runner",
        "started_at",
        "finished_at",
        "processed",
        "error",
    ]
    list_filter = ["name", "runner"]
