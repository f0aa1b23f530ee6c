"""API router of the strategy app, mounted in config/api.py."""

from ninja import Router

router = Router(tags=["strategy"])
