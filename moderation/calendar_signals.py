"""Signal receivers of the working-day calendar (imported by apps.ready)."""
