"""The web interface and JSON API over the search library (see issue: web UI)."""
