"""Background work for organizations, run by the worker (`tahaluf worker`)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from tahaluf.organizations.importing import (
    ImportInvalid,
    ImportNeedsConfirmation,
    import_organizations,
)
from tahaluf.organizations.models import ImportJob

logger = logging.getLogger(__name__)


def _progress_saver(job_id: int):  # type: ignore[no-untyped-def]
    last = {"done": -1}

    def progress(phase: str, done: int, total: int) -> None:
        status = ImportJob.Status.WRITING if phase == "writing" else ImportJob.Status.VALIDATING
        # Report in steps of 1 %, outside the import's own transaction when possible.
        if done == total or done - last["done"] >= max(total // 100, 1):
            last["done"] = done
            ImportJob.objects.filter(pk=job_id).update(
                status=status, done_rows=done, total_rows=total
            )

    return progress


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.is_finished:
        return
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        with override("en"):
            report = import_organizations(
                data,
                actor=job.created_by,
                publish=job.publish,
                progress=_progress_saver(job.pk),
                allow_duplicates=job.allow_duplicates,
            )
    except ImportNeedsConfirmation as waiting:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.NEEDS_CONFIRMATION,
            duplicates=[duplicate.as_dict() for duplicate in waiting.duplicates],
        )
        return
    except ImportInvalid as invalid:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            problems=[problem.as_dict() for problem in invalid.problems],
            finished_at=timezone.now(),
        )
        return
    except Exception:  # noqa: BLE001 - logged; the page must stop waiting and say so
        # The import's transaction has rolled back: nothing was written. Without this the
        # page would show "Writing" for ever.
        logger.exception("import job %s stopped on an error", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.ERROR, finished_at=timezone.now()
        )
        return
    from tahaluf.search.services import apply_pending

    # The imported records become searchable before the job says it is done.
    apply_pending()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            created_count=report.created,
            updated_count=report.updated,
            unchanged_count=report.unchanged,
            total_rows=report.total,
            done_rows=report.total,
            finished_at=timezone.now(),
        )


@task()
def rebuild_name_trigrams() -> int:
    """Rebuild the directory name filter's trigram table (after `tahaluf search rebuild`)."""
    from tahaluf.organizations.name_filter import rebuild

    return rebuild()
