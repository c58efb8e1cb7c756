"""The admin's WordPress import: upload an export, then follow its progress and read its report."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from . import services
from .forms import WordPressImportForm
from .models import WordPressImport

IMPORT_PERMISSION = "wordpress.add_wordpressimport"


def _require_importer(user):
    if not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


def imports(request):
    """Template `wordpress/admin/imports.html`; context: `form`, `imports` (the latest 20)."""
    _require_importer(request.user)
    services.abandon_stalled()
    form = WordPressImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_import(
            export=form.cleaned_data["export"], section_map=form.cleaned_data["section_map"],
            default_section=form.cleaned_data["default_section"], user=request.user,
        )
        return redirect("wordpress_import_detail", pk=job.pk)
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "wordpress/admin/imports.html", {
        "form": form, "imports": WordPressImport.objects.select_related("started_by")[:20],
    }, status=status)


def import_detail(request, pk):
    """Template `wordpress/admin/import_detail.html`; context: `job`. It reloads itself until
    the import has finished."""
    _require_importer(request.user)
    services.abandon_stalled()
    return TemplateResponse(request, "wordpress/admin/import_detail.html",
                            {"job": get_object_or_404(WordPressImport, pk=pk)})
