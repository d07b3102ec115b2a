"""Contacts in and out: vCard, CSV, iCalendar, privacy exports; no Qt."""
