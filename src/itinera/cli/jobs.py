"""``itinera jobs``: list, follow (with a progress bar), cancel jobs, and run a worker process.

Jobs submitted at the command line belong to the local operator (``system``); ``jobs work``
runs queued jobs of every owner (on PostgreSQL beside the server's own workers)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated, Any

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM
from itinera.domain.jobs import Job, JobStatus
from itinera.schemas.jobs import job_out
from itinera.services import jobs

__all__ = ["follow", "jobs_app", "register"]

jobs_app = typer.Typer(help="Long work run outside requests: imports, reports, linkage.")
JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]
JobId = Annotated[int, typer.Argument(help="the job's number", min=1)]


def _line(job: Job) -> str:
    progress = f"{job.done}" + (f"/{job.total}" if job.total else "")
    text = f"{job.id}\t{job.kind}\t{job.status.value}\t{job.message_key}\t{progress}"
    return text + (f"\t{job.error}" if job.error else "")


@jobs_app.command("list")
def list_command(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """The operator's jobs, newest first."""
    found = jobs.list_jobs(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json([job_out(j).model_dump(mode="json") for j in found])
        return
    for job in found:
        typer.echo(_line(job))


@jobs_app.command("show")
def show_command(ctx: typer.Context, job_id: JobId, json_output: JsonFlag = False) -> None:
    """One job: status, progress, result or error."""
    job = jobs.get_job(get_context(ctx).database, SYSTEM, job_id)
    if json_output:
        print_json(job_out(job).model_dump(mode="json"))
    else:
        typer.echo(_line(job))


@jobs_app.command("cancel")
def cancel_command(ctx: typer.Context, job_id: JobId) -> None:
    """Cancel a job: a queued one at once, a running one at its next progress report."""
    typer.echo(_line(jobs.cancel_job(get_context(ctx).database, SYSTEM, job_id)))


@jobs_app.command("wait")
def wait_command(ctx: typer.Context, job_id: JobId, json_output: JsonFlag = False) -> None:
    """Wait for a job with a progress bar; exit 1 unless it ends done."""
    job = follow(get_context(ctx).database, job_id, show=not json_output)
    if json_output:
        print_json(job_out(job).model_dump(mode="json"))
    else:
        typer.echo(_line(job))
    if job.status is not JobStatus.DONE:
        raise typer.Exit(1)


@jobs_app.command("work")
def work_command(ctx: typer.Context) -> None:
    """Run queued jobs until stopped (SIGTERM or Ctrl-C): a worker process beside the server.
    Jobs that a stopped worker left running are resumed or failed first."""
    context = get_context(ctx)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    typer.echo("jobs worker: running (stop with Ctrl-C)", err=True)
    jobs.Worker(context.database, context.settings).serve(stop)


def follow(db: Any, job_id: int, *, show: bool = True) -> Job:
    """Wait for a job, drawing a progress bar (rich) on stderr when ``show``."""
    if not show:
        return jobs.wait_for_job(db, SYSTEM, job_id)
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), transient=True
    ) as bar:
        task = bar.add_task(f"job {job_id}", total=None)

        def update(job: Job) -> None:
            described = f"job {job.id}: {job.message_key} {job.done:,}"
            bar.update(task, completed=job.done, total=job.total, description=described)

        return jobs.wait_for_job(db, SYSTEM, job_id, on_progress=update, poll=0.2)


def register(root: typer.Typer) -> None:
    """Add ``itinera jobs`` to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(jobs_app, name="jobs")
