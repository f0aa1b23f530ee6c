"""API router of the diagnostic app, mounted in config/api.py."""

from ninja import Router

router = Router(tags=["diagnostic"])
