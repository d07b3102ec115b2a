"""Printed documents (reportlab); no Qt."""
