"""Hostile input on every form of the sessions app's URLs (how: tests/hostile/test_forms.py; a
file of its own so that parallel runs give this long hunt a worker of its own)."""

from __future__ import annotations

from typing import Any

from .test_forms import OWN_FILES, hunt_forms

GROUP = "sessions"


def test_no_sessions_form_answers_hostile_input_with_an_error_or_a_partial_write(
    hostile_world: Any, login: Any
) -> None:
    assert GROUP in OWN_FILES  # not hunted in test_forms.py too
    hunt_forms(hostile_world, login, GROUP)
