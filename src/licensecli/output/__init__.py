"""Output by audience: `tables` for people, `documents` for scripts, `monitoring` for monitoring
systems, `files` for calendars and spreadsheets; `words` holds what they share."""
