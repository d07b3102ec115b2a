"""One box of the chain graph: a person, an ancestor, or a "+N more" for a branch."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPen,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem

from crm.gui import labels
from crm.gui.formatting import cell_text, isolate, money, money_short, number, status_colour
from crm.gui.widgets import plain_tip

NODE_W, NODE_H = 176.0, 54.0
H_GAP, V_GAP = 18.0, 46.0
ROW_H = NODE_H + V_GAP

ROOT, ANCESTOR, PERSON, MORE = "root", "ancestor", "person", "more"


def _tr(text: str) -> str:
    return QApplication.translate("Chain", text)


@dataclass
class Node:
    kind: str
    key: int  # the contact id; for MORE, the id of the branch's parent
    name: str = ""
    status: str | None = None
    depth: int = 0  # negative above the root
    below: int = 0  # people who came through (PERSON, ROOT); hidden people (MORE)
    won: float = 0.0
    hidden_children: int = 0  # MORE: children not drawn yet
    x: float = 0.0


def _text_option(
    alignment: Qt.AlignmentFlag,
    direction: Qt.LayoutDirection = Qt.LayoutDirection.LayoutDirectionAuto,
) -> QTextOption:
    # A name reads in its own direction (an Arabic name right to left in an English
    # window); the line of figures is ours, in the window's direction, its parts isolated.
    option = QTextOption(alignment)
    option.setTextDirection(direction)
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    return option


class NodeItem(QGraphicsItem):
    """A person (or a "+N more") as a rounded rectangle with two lines of text."""

    def __init__(self, node: Node, currency: str) -> None:
        super().__init__()
        self.node = node
        self.currency = currency
        # Clicks are handled by the view, so dragging anywhere pans the picture.
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Painted once per zoom level: panning only moves cached pictures.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(plain_tip(self._tooltip()))
        self.setPos(node.x, node.depth * ROW_H)

    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, NODE_W + 4, NODE_H + 4)

    def _lines(self) -> tuple[str, str]:
        n = self.node
        if n.kind == MORE:
            first = _tr("+%1 more").replace("%1", number(n.hidden_children))
            second = _tr("%1 people in all").replace("%1", number(n.below))
            return first, second
        parts = []
        if n.won:
            parts.append(isolate(money_short(n.won, self.currency)))
        if n.below:
            parts.append(isolate(_tr("%1 below").replace("%1", number(n.below))))
        if not parts:
            if n.kind == ANCESTOR:
                parts.append(_tr("referred them"))
            elif n.status:
                parts.append(labels.referral_status(n.status))
        return n.name, " · ".join(parts)

    def _tooltip(self) -> str:
        n = self.node
        if n.kind == MORE:
            return _tr("Click to show more of this branch")
        lines = [n.name]
        if n.status:
            lines.append(_tr("Status: %1").replace("%1", labels.referral_status(n.status)))
        if n.kind in (PERSON, ROOT):
            lines.append(
                _tr("%1 came through, %2 won")
                .replace("%1", number(n.below))
                .replace("%2", cell_text(money(n.won, self.currency) or "0"))
            )
        lines.append(_tr("Click to open, double-click to centre the chain here"))
        return "\n".join(lines)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        n = self.node
        rect = QRectF(0, 0, NODE_W, NODE_H)
        pen = QPen(QColor("#5b6472"), 1.0)
        if n.kind == ROOT:
            fill = QColor("#ffffff") if not n.status else status_colour(n.status)
            pen = QPen(QColor("#1f5fbf"), 3.0)
        elif n.kind == ANCESTOR:
            fill = QColor("#f3f4f6")
            pen.setStyle(Qt.PenStyle.DashLine)
        elif n.kind == MORE:
            fill = QColor("#ffffff")
            pen = QPen(QColor("#1f5fbf"), 1.2, Qt.PenStyle.DashLine)
        else:
            fill = status_colour(n.status)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, 9, 9)
        # Far out, names are unreadable anyway: draw the boxes only.
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.35:
            return
        first, second = self._lines()
        font = QFont(painter.font())
        font.setPointSizeF(9.5)
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        inner = rect.adjusted(8, 5, -8, -NODE_H / 2)
        painter.setPen(QColor("#1f5fbf") if n.kind == MORE else QColor("#111827"))
        painter.drawText(
            inner,
            metrics.elidedText(first, Qt.TextElideMode.ElideRight, int(inner.width())),
            _text_option(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
        )
        font.setBold(False)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        lower = rect.adjusted(8, NODE_H / 2 + 2, -8, -4)
        painter.setPen(QColor("#374151"))
        painter.drawText(
            lower,
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, int(lower.width())),
            _text_option(
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                QGuiApplication.layoutDirection(),
            ),
        )
