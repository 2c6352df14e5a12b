"""Sandbox stand-ins for outside services that have pages of their own (the acquirer's)."""

from credit7_web.sandbox.acquirer_pages import acquirer_routes

__all__ = ["acquirer_routes"]
