"""Slow PDF jobs have their own queue, so that a backlog of documents never delays the daily
reminders or other short jobs (README / docs/operations.md: one worker per queue)."""

from __future__ import annotations

from councilportal.celery import app


def _queue(task: str) -> str:
    route = app.amqp.router.route({}, task, args=(), kwargs={})
    return str(route["queue"].name)


def test_documents_and_reminders_go_to_separate_queues() -> None:
    import councilportal.tasks  # noqa: F401  (registers the tasks)

    assert _queue("councilportal.tasks.render_document") == "documents"
    assert _queue("councilportal.tasks.daily_reminders") == "default"
    # Every other task of the project stays off the documents queue.
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert "councilportal.tasks.render_document" in ours
    for name in ours:
        if name != "councilportal.tasks.render_document":
            assert _queue(name) == "default", name
    # The beat schedule's jobs run on the default queue too.
    for entry in app.conf.beat_schedule.values():
        assert _queue(entry["task"]) == "default"
