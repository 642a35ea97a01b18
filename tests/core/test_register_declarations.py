"""Every register page is a class built by one `Register` declaration, named after its model
and verb (`ProgrammeList`), so that a URL name leads by grep to the declaration."""

from __future__ import annotations

from councilportal.web.crud import ScopedMixin

from .test_access_matrix import PATTERNS

VERBS = ["list", "create", "detail", "update", "delete", "history"]


def test_every_scoped_page_is_named_after_its_model_and_verb() -> None:
    wrong = []
    pages = 0
    for name, _route, pattern in PATTERNS:
        view_class = getattr(pattern.callback, "view_class", None)
        if not (isinstance(view_class, type) and issubclass(view_class, ScopedMixin)):
            continue
        pages += 1
        verb = name.rsplit("-", 1)[-1]
        # The overdue recommendations are their register's list with a status forced.
        verb = verb if verb in VERBS else "list"
        expected = f"{view_class.model.__name__}{verb.title()}"
        if (view_class.__name__, view_class.__qualname__) != (expected, expected):
            wrong.append(f"{name}: {view_class.__module__}.{view_class.__qualname__}")
    assert pages > 60
    assert not wrong, wrong


def test_a_register_builds_only_the_pages_asked_for() -> None:
    from supervision import views

    assert set(views.questions.views) == {"detail", "update", "history"}
    assert views.questions.detail_view is views.question_detail
    assert views.programmes.list_view.__name__ == "ProgrammeList"
    assert views.programmes.list_view.__module__ == "supervision.views"
    names = [p.name for p in views.programmes.urls("programmes/", list_route="")]
    assert names == [f"programme-{verb}" for verb in VERBS]
