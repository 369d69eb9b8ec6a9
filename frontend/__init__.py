"""The public website: a separate process that talks to the CMS only over HTTP."""
