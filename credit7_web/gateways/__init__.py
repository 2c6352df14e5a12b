"""Outside services behind interfaces; the sandbox implementations ship and are the default."""
