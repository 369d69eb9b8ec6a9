"""Admin wiring of the official working-day calendar (imported by wagtail_hooks)."""
