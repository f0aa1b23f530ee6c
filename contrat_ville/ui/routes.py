"""Pages declare their URL where they are written, named after their function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.urls import URLPattern, path

View = TypeVar("View", bound=Callable[..., Any])


class Routes:
    """The pages of one views module, in the order they are written; the app's ``urls.py`` mounts ``urlpatterns``.

    ``@routes("donnees/<int:source_id>/modifier/")`` above a view routes it under the name of its function
    (« source_update »), the one ``reverse`` and ``{% url %}`` use: the URL and the arguments it gives the view
    read side by side.
    """

    def __init__(self) -> None:
        self.urlpatterns: list[URLPattern] = []

    def __call__(self, route: str) -> Callable[[View], View]:
        def register(view: View) -> View:
            self.add(route, view, view.__name__)
            return view

        return register

    def add(self, route: str, view: Callable[..., Any], name: str) -> None:
        """Route a view under ``name``: one built rather than written, or named otherwise than its function."""
        self.urlpatterns.append(path(route, view, name=name))
