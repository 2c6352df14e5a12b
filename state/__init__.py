"""Reflex states: thin. They check who is calling, validate input, call a service, expose views."""
