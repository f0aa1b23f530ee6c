"""API router of the participation app, mounted in config/api.py."""

from ninja import Router

router = Router(tags=["participation"])
