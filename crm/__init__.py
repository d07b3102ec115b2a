"""Passaparola: a desktop CRM for people whose business grows by word of mouth."""

__version__ = "0.1.0"
APP_NAME = "Passaparola"
APP_ID = "passaparola"
