"""API router of the observation app, mounted in config/api.py."""

from ninja import Router

router = Router(tags=["observation"])
