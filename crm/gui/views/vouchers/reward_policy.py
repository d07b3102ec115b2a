"""The reward policy tab: the form that edits what each referral earns on its own.

A child of :class:`crm.gui.views.vouchers.rewards.RewardsPanel`, which shows it as its
"Policy" tab; the rules are :mod:`crm.core.reward_policy`'s.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import models, reward_policy
from crm.core.amounts import format_amount
from crm.core.errors import ValidationError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.widgets import error_label, mark_invalid


class RewardPolicyTab(QWidget):
    """The policy editor; the panel loads it when it is shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The reward each referral earns on its own. You can still add or change "
                "rewards by hand; a new policy applies to referrals from now on."
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        outer.addLayout(self._build_form())
        self.policy_hint = QLabel()
        self.policy_hint.setWordWrap(True)
        self.policy_hint.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.policy_hint)
        self.policy_error = error_label()
        self.policy_error.setObjectName("policyError")
        outer.addWidget(self.policy_error)
        outer.addLayout(self._build_buttons())
        outer.addStretch(1)

        for combo in (self.trigger_combo, self.mode_combo, self.voucher_combo):
            combo.currentIndexChanged.connect(lambda _i: self._policy_shape())
        self.limit_count.valueChanged.connect(lambda _v: self._policy_shape())
        for widget in self.fields.values():
            signal = getattr(widget, "textEdited", None) or getattr(widget, "activated", None)
            if signal is not None:
                signal.connect(lambda *_a: self._clear_policy_error())

    def _build_form(self) -> QFormLayout:
        """What is rewarded, how much, to whom, of what kind, how often."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)

        self.trigger_combo = QComboBox()
        self.trigger_combo.addItem(self.tr("When a referral is received"), "received")
        self.trigger_combo.addItem(self.tr("When a referral is won"), "won")
        self._field(form, "trigger", self.tr("&Reward:"), self.trigger_combo)

        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("A fixed amount"), "fixed")
        self.mode_combo.addItem(self.tr("A percentage of the won value"), "percent")
        self._field(form, "amount_mode", self.tr("&Amount:"), self.mode_combo)

        self.fixed_edit = QLineEdit()
        self.fixed_edit.setPlaceholderText("25")
        self._field(
            form,
            "fixed_amount",
            self.tr("&Fixed amount:"),
            self.fixed_edit,
            self.tr("in the referral's currency"),
        )
        self.percent_edit = QLineEdit()
        self.percent_edit.setPlaceholderText("5")
        self._field(form, "percent", self.tr("&Percentage:"), self.percent_edit, "%")
        self.cap_edit = QLineEdit()
        self.cap_edit.setPlaceholderText(self.tr("no cap"))
        self._field(
            form,
            "cap",
            self.tr("At &most:"),
            self.cap_edit,
            self.tr("leave empty for no cap"),
        )

        self.sides_combo = QComboBox()
        self.sides_combo.addItem(self.tr("The giver"), "one")
        self.sides_combo.addItem(self.tr("The giver and the friend they referred"), "two")
        self._field(form, "sides", self.tr("&Who:"), self.sides_combo)

        self.kind_combo = QComboBox()
        for code in models.REWARD_KINDS:
            self.kind_combo.addItem(labels.reward_kind(code), code)
        self._field(form, "kind", self.tr("&Kind:"), self.kind_combo)

        # A voucher promises its holder a reward for a new customer: by default, on the win.
        self.voucher_combo = QComboBox()
        self.voucher_combo.setObjectName("voucherHolder")
        self.voucher_combo.addItem(self.tr("Rewarded when the friend's referral is won"), "won")
        self.voucher_combo.addItem(
            self.tr("Rewarded when the friend redeems the voucher"), "redemption"
        )
        self._field(form, "voucher_holder", self.tr("Voucher &holders:"), self.voucher_combo)
        self._build_limit(form)
        return form

    def _build_limit(self, form: QFormLayout) -> None:
        """At most so many rewards per giver every so many days."""
        self.limit_count = QSpinBox()
        self.limit_count.setRange(0, 1000)
        self.limit_count.setSpecialValueText(self.tr("No limit"))
        self.limit_days = QSpinBox()
        self.limit_days.setRange(1, 3650)
        self.limit_days.setSuffix(" " + self.tr("days"))
        limit = QWidget()
        limit_lay = QHBoxLayout(limit)
        limit_lay.setContentsMargins(0, 0, 0, 0)
        limit_lay.addWidget(self.limit_count)
        self.limit_every = QLabel(self.tr("rewards per giver every"))
        limit_lay.addWidget(self.limit_every)
        limit_lay.addWidget(self.limit_days)
        limit_lay.addStretch(1)
        limit_label = QLabel(self.tr("&Limit:"))
        limit_label.setBuddy(self.limit_count)
        form.addRow(limit_label, limit)
        self.fields["limit_count"] = self.limit_count
        self.fields["limit_days"] = self.limit_days

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.policy_saved = QLabel()
        buttons.addWidget(self.policy_saved, 1)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.clicked.connect(self.load)
        self.save_policy_button = QPushButton(self.tr("&Save Policy"))
        self.save_policy_button.setObjectName("savePolicy")
        self.save_policy_button.clicked.connect(self.save_policy)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_policy_button)
        return buttons

    def _field(
        self, form: QFormLayout, key: str, text: str, widget: QWidget, after: str = ""
    ) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.fields[key] = widget
        if isinstance(widget, QLineEdit):
            widget.setMaximumWidth(widget.fontMetrics().horizontalAdvance("0" * 14) + 16)
        if not after:
            form.addRow(label, widget)
            return
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget)
        note = QLabel(after)
        note.setEnabled(False)  # a quieter grey: a hint, not a value
        row.addWidget(note)
        row.addStretch(1)
        form.addRow(label, box)

    @staticmethod
    def _select(combo: QComboBox, code: str) -> None:
        combo.setCurrentIndex(max(combo.findData(code), 0))

    def load(self) -> None:
        """Show the policy as stored."""
        policy = reward_policy.get_policy()
        self._select(self.trigger_combo, policy.trigger)
        self._select(self.mode_combo, policy.amount_mode)
        self.fixed_edit.setText(format_amount(policy.fixed_amount))
        self.percent_edit.setText(format_amount(policy.percent))
        self.cap_edit.setText(format_amount(policy.cap))
        self._select(self.sides_combo, policy.sides)
        self._select(self.kind_combo, policy.kind)
        self._select(self.voucher_combo, policy.voucher_holder)
        self.limit_count.setValue(policy.limit_count)
        self.limit_days.setValue(policy.limit_days)
        self._clear_policy_error()
        self.policy_saved.clear()
        self._policy_shape()

    def policy_values(self) -> dict[str, Any]:
        """What the form holds, in the core's terms."""
        return {
            "trigger": self.trigger_combo.currentData(),
            "amount_mode": self.mode_combo.currentData(),
            "fixed_amount": self.fixed_edit.text(),
            "percent": self.percent_edit.text(),
            "cap": self.cap_edit.text(),
            "sides": self.sides_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "voucher_holder": self.voucher_combo.currentData(),
            "limit_count": self.limit_count.value(),
            "limit_days": self.limit_days.value(),
        }

    def _policy_shape(self) -> None:
        """Only the fields the chosen amount uses are open; say what the choice means."""
        percent = self.mode_combo.currentData() == "percent"
        self.fixed_edit.setEnabled(not percent)
        self.percent_edit.setEnabled(percent)
        self.cap_edit.setEnabled(percent)
        limited = self.limit_count.value() > 0
        self.limit_days.setEnabled(limited)
        self.limit_every.setEnabled(limited)
        hints = []
        if percent and self.trigger_combo.currentData() == "received":
            hints.append(
                self.tr(
                    "A referral just received has no won value yet: a percentage gives a "
                    "reward of 0 until you change it by hand. Reward won referrals for a "
                    "percentage."
                )
            )
        if percent and self.voucher_combo.currentData() == "redemption":
            hints.append(
                self.tr(
                    "A percentage of the won value is known only when the friend's referral "
                    "is won: a voucher holder is rewarded then."
                )
            )
        hint = "\n".join(hints)
        self.policy_hint.setText(hint)
        self.policy_hint.setVisible(bool(hint))

    def save_policy(self) -> bool:
        """Save the policy; a refusal is shown under the form, at the field it concerns."""
        self._clear_policy_error()
        try:
            reward_policy.set_policy(**self.policy_values())
        except ValidationError as exc:
            self.show_policy_error(exc.message, exc.field)
            return False
        self.ctx.changed("settings")  # reloads the form from what was stored
        self.load()
        self.policy_saved.setText(self.tr("Saved. New referrals are rewarded this way."))
        return True

    def show_policy_error(self, message: str, field: str | None) -> None:
        self.policy_error.setText(message)
        self.policy_error.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _clear_policy_error(self) -> None:
        self.policy_error.hide()
        self.policy_error.clear()
        for widget in self.fields.values():
            if widget.property("invalid"):
                mark_invalid(widget, False)
