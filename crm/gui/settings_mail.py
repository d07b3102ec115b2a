"""The Mail tab of Preferences: the SMTP server, and its password kept in the system keyring.

The server's settings are saved with the rest of the preferences (all or none);
the password goes to the system keyring (crm.core.mail_server) only after they
were saved, and never to the database. An empty password field keeps the stored one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from crm.core import mail_server, settings
from crm.core.errors import ValidationError

if TYPE_CHECKING:
    from crm.gui.settings_dialog import SettingsDialog

TAB_MAIL = 4
KEYS = ("smtp.host", "smtp.port", "smtp.security", "smtp.user", "smtp.from")
PASSWORD = "smtp.password"


def build(dialog: SettingsDialog) -> QWidget:
    page, form = dialog._form()
    tr = dialog.tr
    dialog._note(
        form,
        tr(
            "The server that sends thank-you letters, birthday greetings and vouchers by "
            "e-mail. Without one, Passaparola writes them as drafts for your mail program."
        ),
    )
    dialog._add(form, TAB_MAIL, "smtp.host", tr("Mail &server:"),
                dialog._line(254, "smtp.example.com"))  # fmt: skip
    port = QSpinBox()
    port.setRange(1, 65535)
    dialog._add(form, TAB_MAIL, "smtp.port", tr("Po&rt:"), port)
    security = QComboBox()
    security.addItem(tr("STARTTLS (usually port 587)"), "starttls")
    security.addItem(tr("SSL/TLS (usually port 465)"), "ssl")
    security.addItem(tr("None: unencrypted (a local relay only)"), "none")
    dialog._add(form, TAB_MAIL, "smtp.security", tr("Se&curity:"), security)
    dialog._add(form, TAB_MAIL, "smtp.user", tr("&User name:"), dialog._line(254))
    password = QLineEdit()
    password.setEchoMode(QLineEdit.EchoMode.Password)
    dialog._add(form, TAB_MAIL, PASSWORD, tr("Pass&word:"), password)
    dialog._add(form, TAB_MAIL, "smtp.from", tr("Send &from:"),
                dialog._line(254, tr("the profile's e-mail")))  # fmt: skip
    dialog._note(
        form,
        tr(
            "The password is kept in your system's keyring (Keychain, Credential Manager, "
            "Secret Service), never in the database or a settings file."
        ),
    )
    return page


def load(dialog: SettingsDialog) -> None:
    inputs = dialog.inputs
    for key in ("smtp.host", "smtp.user", "smtp.from"):
        inputs[key].setText(str(settings.get(key)))
    inputs["smtp.port"].setValue(int(settings.get("smtp.port")))
    box = inputs["smtp.security"]
    box.setCurrentIndex(max(box.findData(settings.get("smtp.security")), 0))
    inputs[PASSWORD].clear()
    # Not read back: opening Preferences must not make the keyring ask to be unlocked.
    inputs[PASSWORD].setPlaceholderText(dialog.tr("type to set or change it"))


def values(dialog: SettingsDialog) -> dict[str, Any]:
    inputs = dialog.inputs
    return {
        "smtp.host": inputs["smtp.host"].text(),
        "smtp.port": inputs["smtp.port"].value(),
        "smtp.security": inputs["smtp.security"].currentData(),
        "smtp.user": inputs["smtp.user"].text(),
        "smtp.from": inputs["smtp.from"].text(),
    }


def save_password(dialog: SettingsDialog) -> bool:
    """Put a newly typed password in the keyring (after the settings were saved)."""
    typed = dialog.inputs[PASSWORD].text()
    if not typed:
        return True
    try:
        mail_server.set_password(typed)
    except ValidationError as exc:
        dialog.show_error(PASSWORD, exc.message)
        dialog.tabs.setCurrentIndex(TAB_MAIL)
        return False
    dialog.inputs[PASSWORD].clear()
    return True
