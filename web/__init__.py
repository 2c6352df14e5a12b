"""The web assembly: the Reflex app, its plain HTTP routes, background jobs and runtime fixes."""
