"""The chain as a picture: ancestors above, descendants below, in layers.

Only part of a big chain is drawn: the first levels, at most ``MAX_NODES``
people, the biggest branches first. What is left out of a branch is one
"+N more" node; clicking it draws the next people of that branch. Nodes are
painted directly (no child text items) and edges are one path item, so the
scene holds about as many items as people shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPen,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from crm.core import chain, contacts, models, settings
from crm.gui import labels
from crm.gui.formatting import money, money_short, number, status_colour

# -- the data, loaded once per contact (plain values: safe to build on a worker) --------


@dataclass
class ChainData:
    """A contact's chain, grouped once: everything the tree and the graph show."""

    root_id: int
    name: str
    root_status: str | None  # status of the referral that brought the contact, if any
    ancestors: list[chain.Ancestor]  # nearest first
    info: dict[int, chain.Descendant]
    children: dict[int, list[chain.Descendant]]  # parent id -> children, biggest branch first
    totals: dict[int, dict[str, float]]
    currency: str
    row_in_parent: dict[int, int] = field(default_factory=dict)

    @property
    def descendant_count(self) -> int:
        return len(self.info)

    @property
    def won_total(self) -> float:
        return self.totals.get(self.root_id, {}).get("won_value", 0.0)

    @property
    def max_depth(self) -> int:
        return max((d.depth for d in self.info.values()), default=0)

    @property
    def empty(self) -> bool:
        return not self.ancestors and not self.info

    def kids(self, contact_id: int) -> list[chain.Descendant]:
        return self.children.get(contact_id, [])

    def branch(self, contact_id: int) -> tuple[int, float]:
        """How many came through a contact, and the won value of that branch."""
        entry = self.totals.get(contact_id, {"count": 0, "won_value": 0.0})
        return int(entry["count"]), float(entry["won_value"])


def load_chain(contact_id: int) -> ChainData:
    """Read a contact's chain: one query up, one query down, grouped in one pass."""
    contact = contacts.get_contact(contact_id)
    r = models.Referral
    status = r.select(r.status).where((r.referred == contact_id) & r.is_primary).scalar()
    ups = chain.ancestors(contact_id)
    downs = chain.descendants(contact_id)
    totals = chain.branch_totals(contact_id, downs)
    children = chain.children_by_parent(downs, totals)
    row_in_parent = {n.id: i for kids in children.values() for i, n in enumerate(kids)}
    return ChainData(
        root_id=contact_id,
        name=contact.display_name,
        root_status=status,
        ancestors=ups,
        info={d.id: d for d in downs},
        children=children,
        totals=totals,
        currency=settings.profile().currency,
        row_in_parent=row_in_parent,
    )


# -- what is drawn ------------------------------------------------------------------------

NODE_W, NODE_H = 176.0, 54.0
H_GAP, V_GAP = 18.0, 46.0
ROW_H = NODE_H + V_GAP

ROOT, ANCESTOR, PERSON, MORE = "root", "ancestor", "person", "more"


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


def _text_option(alignment: Qt.AlignmentFlag) -> QTextOption:
    # Each line reads in its own direction (an Arabic name right to left, "3 below"
    # left to right), whatever the layout direction of the window.
    option = QTextOption(alignment)
    option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
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
        self.setToolTip(self._tooltip())
        self.setPos(node.x, node.depth * ROW_H)

    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, NODE_W + 4, NODE_H + 4)

    def _lines(self) -> tuple[str, str]:
        n = self.node
        if n.kind == MORE:
            first = QApplication.translate("Chain", "+%1 more").replace(
                "%1", number(n.hidden_children)
            )
            second = QApplication.translate("Chain", "%1 people in all").replace(
                "%1", number(n.below)
            )
            return first, second
        parts = []
        if n.won:
            parts.append(money_short(n.won, self.currency))
        if n.below:
            parts.append(QApplication.translate("Chain", "%1 below").replace("%1", number(n.below)))
        if not parts:
            if n.kind == ANCESTOR:
                parts.append(QApplication.translate("Chain", "referred them"))
            elif n.status:
                parts.append(labels.referral_status(n.status))
        return n.name, " · ".join(parts)

    def _tooltip(self) -> str:
        n = self.node
        if n.kind == MORE:
            return QApplication.translate("Chain", "Click to show more of this branch")
        lines = [n.name]
        if n.status:
            lines.append(
                QApplication.translate("Chain", "Status: %1").replace(
                    "%1", labels.referral_status(n.status)
                )
            )
        if n.kind in (PERSON, ROOT):
            lines.append(
                QApplication.translate("Chain", "%1 came through, %2 won")
                .replace("%1", number(n.below))
                .replace("%2", money(n.won, self.currency) or "0")
            )
        lines.append(
            QApplication.translate("Chain", "Click to open, double-click to centre the chain here")
        )
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
            _text_option(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
        )


class ChainGraphView(QGraphicsView):
    """The chain as a layered picture: zoom with Ctrl+wheel, pan by dragging."""

    contact_clicked = Signal(int)  # open the contact
    contact_double_clicked = Signal(int)  # centre the chain on the contact

    MAX_NODES = 300  # people drawn before anything is expanded by hand
    LEVELS = 4  # levels drawn for a big chain
    PER_PARENT = 24  # children drawn under one person before a "+N more"
    EXPAND_STEP = 40  # people a click on "+N more" adds
    MIN_SCALE, MAX_SCALE = 0.08, 3.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chainGraph")
        self.graph_scene = QGraphicsScene(self)
        self.setScene(self.graph_scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor("#fbfbfc"))
        # A chain shorter than the view hangs from the top, where the root is.
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.data: ChainData | None = None
        self.items_by_key: dict[tuple[str, int], NodeItem] = {}
        self.shown_count: dict[int, int] = {}  # per parent: children drawn now
        # Per parent: how many children to draw, once the user asked for more.
        self.child_limit: dict[int, int] = {}
        self._press = QPointF()
        self._pending_fit = False
        self._click_timer = QTimer(self)
        self._click_timer.setSingleShot(True)
        self._click_timer.setInterval(QApplication.doubleClickInterval())
        self._click_timer.timeout.connect(self._emit_click)
        self._clicked_id = 0

    # -- content ----------------------------------------------------------------

    def set_chain(self, data: ChainData | None) -> None:
        self.data = data
        self.child_limit = {}
        self._rebuild()
        self.fit_initial()

    def expand(self, parent_id: int) -> int:
        """Draw more children of ``parent_id`` (what clicking its "+N more" does)."""
        if self.data is None:
            return 0
        kids = self.data.kids(parent_id)
        shown = self._shown_children(parent_id)
        self.child_limit[parent_id] = min(len(kids), shown + self.EXPAND_STEP)
        before = len(self.items_by_key)
        anchor = self.items_by_key.get((MORE, parent_id)) or self.items_by_key.get(
            (PERSON, parent_id)
        )
        old_pos = anchor.pos() if anchor is not None else None
        self._rebuild()
        # Keep the place the user clicked where it was on screen.
        target = self.items_by_key.get((PERSON, parent_id)) or self.items_by_key.get(
            (ROOT, parent_id)
        )
        if old_pos is not None and target is not None:
            self.centerOn(target.pos() + QPointF(NODE_W / 2, NODE_H + V_GAP))
        return len(self.items_by_key) - before

    def _shown_children(self, parent_id: int) -> int:
        return self.shown_count.get(parent_id, 0)

    def node_items(self) -> list[NodeItem]:
        return list(self.items_by_key.values())

    def item_for(self, contact_id: int) -> NodeItem | None:
        for kind in (PERSON, ROOT, ANCESTOR):
            item = self.items_by_key.get((kind, contact_id))
            if item is not None:
                return item
        return None

    def more_item(self, parent_id: int) -> NodeItem | None:
        return self.items_by_key.get((MORE, parent_id))

    def _visible_tree(self) -> tuple[list[Node], dict[int, list[Node]]]:
        """Breadth first from the root: who is drawn, and under whom.

        Every box counts against ``MAX_NODES``, the "+N more" boxes too: a
        person drawn with children of their own brings a "+N more" box along,
        until their children are drawn.
        """
        data = self.data
        assert data is not None
        count, won = data.branch(data.root_id)
        root = Node(ROOT, data.root_id, data.name, data.root_status, 0, count, won)
        big = data.descendant_count > self.MAX_NODES
        levels = self.LEVELS if big else math.inf
        total = 1 + (1 if data.kids(root.key) else 0)
        shown: dict[int, list[Node]] = {}
        order = [root]
        queue = [root]
        head = 0
        while head < len(queue):
            node = queue[head]
            head += 1
            kids = data.kids(node.key)
            if not kids:
                continue
            wanted = self.child_limit.get(node.key)
            limit, cost = 0, 0
            if wanted is not None or node.depth < levels:
                cap = min(len(kids), wanted if wanted is not None else self.PER_PARENT)
                for i, kid in enumerate(kids[:cap]):
                    box = 2 if data.kids(kid.id) else 1
                    freed = 1 if i + 1 == len(kids) else 0  # all drawn: "+N more" goes
                    if wanted is None and total + cost + box - freed > self.MAX_NODES:
                        break
                    cost += box
                    limit = i + 1
            total += cost - (1 if limit == len(kids) else 0)
            placed: list[Node] = []
            for kid in kids[:limit]:
                below, kid_won = data.branch(kid.id)
                child = Node(PERSON, kid.id, kid.name, kid.status, kid.depth, below, kid_won)
                placed.append(child)
                queue.append(child)
                order.append(child)
            if limit < len(kids):
                rest = kids[limit:]
                hidden = sum(data.branch(k.id)[0] + 1 for k in rest)
                more = Node(
                    MORE, node.key, depth=node.depth + 1, below=hidden, hidden_children=len(rest)
                )
                placed.append(more)
                order.append(more)
            shown[node.key] = placed
        return order, shown

    def _layout(self, root: Node, shown: dict[int, list[Node]]) -> None:
        """Leaves side by side; each parent centred over its children (no recursion)."""
        next_x = 0.0
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            kids = shown.get(node.key, []) if node.kind != MORE else []
            if not kids:
                node.x = next_x
                next_x += NODE_W + H_GAP
            elif done:
                node.x = (kids[0].x + kids[-1].x) / 2
            else:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
        if self.isRightToLeft():
            # Right to left, the first (biggest) branch stands on the right.
            for node in self._all_nodes(root, shown):
                node.x = -node.x - NODE_W

    @staticmethod
    def _all_nodes(root: Node, shown: dict[int, list[Node]]) -> list[Node]:
        out, stack = [], [root]
        while stack:
            node = stack.pop()
            out.append(node)
            if node.kind != MORE:
                stack.extend(shown.get(node.key, []))
        return out

    def _rebuild(self) -> None:
        self._click_timer.stop()
        # Take the items out one by one rather than scene.clear(): clear() deletes
        # them under Python wrappers that may still be referenced.
        for item in self.graph_scene.items():
            if item.parentItem() is None:
                self.graph_scene.removeItem(item)
        self.items_by_key = {}
        self.shown_count = {}
        data = self.data
        if data is None:
            self.graph_scene.setSceneRect(QRectF())
            return
        order, shown = self._visible_tree()
        root = order[0]
        self._layout(root, shown)
        people = {n.key: n for n in order if n.kind != MORE}
        edges = QPainterPath()
        for parent_key, kids in shown.items():
            parent = people.get(parent_key)
            self.shown_count[parent_key] = sum(1 for k in kids if k.kind != MORE)
            if parent is None or not kids:
                continue
            px = parent.x + NODE_W / 2
            top = parent.depth * ROW_H + NODE_H
            mid = top + V_GAP / 2
            edges.moveTo(px, top)
            edges.lineTo(px, mid)
            xs = [k.x + NODE_W / 2 for k in kids]
            edges.moveTo(min(xs), mid)
            edges.lineTo(max(xs), mid)
            for x in xs:
                edges.moveTo(x, mid)
                edges.lineTo(x, mid + V_GAP / 2)
        # Ancestors stand above the root, nearest first.
        above: list[Node] = []
        for anc in data.ancestors:
            above.append(Node(ANCESTOR, anc.id, anc.name, None, -anc.depth, x=root.x))
        if above:
            edges.moveTo(root.x + NODE_W / 2, 0)
            edges.lineTo(root.x + NODE_W / 2, -len(above) * ROW_H + NODE_H)
        path_item = QGraphicsPathItem(edges)
        path_item.setPen(QPen(QColor("#9aa3af"), 1.4))
        path_item.setZValue(-1)
        self.graph_scene.addItem(path_item)
        for node in (*above, *order):
            item = NodeItem(node, data.currency)
            self.graph_scene.addItem(item)
            self.items_by_key[(node.kind, node.key)] = item
        rect = self.graph_scene.itemsBoundingRect().adjusted(-60, -60, 60, 60)
        self.graph_scene.setSceneRect(rect)

    # -- zoom and view ----------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        current = self.zoom()
        factor = max(self.MIN_SCALE / current, min(self.MAX_SCALE / current, factor))
        self.scale(factor, factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit_all(self) -> None:
        if not self.graph_scene.items():
            return
        self.fitInView(self.graph_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.resetTransform()
        elif self.zoom() < self.MIN_SCALE:
            self.zoom_by(1.0)

    def fit_initial(self) -> None:
        """Fit a small chain; for a big one, start at a readable size with the root on top.

        Done once the view has its final size (after layouts settle), not now.
        """
        self._pending_fit = True
        QTimer.singleShot(0, self._fit_pending)

    def _fit_pending(self) -> None:
        if not self._pending_fit or not self.isVisible():
            return
        self._pending_fit = False
        self.resetTransform()
        rect = self.graph_scene.sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        fit = min(view.width() / rect.width(), view.height() / rect.height())
        if fit >= 0.6:
            self.fit_all()
            return
        self.zoom_by(0.9)
        root = self.items_by_key.get((ROOT, self.data.root_id)) if self.data else None
        if root is not None:
            visible_h = view.height() / self.zoom()
            top = min(rect.top() + 20, root.pos().y() - 20)
            self.centerOn(root.pos().x() + NODE_W / 2, top + visible_h / 2)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending_fit:
            QTimer.singleShot(0, self._fit_pending)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(1.15**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit_all()
        else:
            super().keyPressEvent(event)

    # -- clicks: open, re-root, expand ---------------------------------------------------

    def _item_at(self, pos) -> NodeItem | None:
        for item in self.items(pos.toPoint() if hasattr(pos, "toPoint") else pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (event.position() - self._press).manhattanLength()
        if moved >= QApplication.startDragDistance():
            return  # that was a pan
        item = self._item_at(event.position())
        if item is None:
            return
        if item.node.kind == MORE:
            self.expand(item.node.key)
            return
        # Wait to see whether this is the first half of a double-click.
        self._clicked_id = item.node.key
        self._click_timer.start()

    def mouseDoubleClickEvent(self, event) -> None:
        self._click_timer.stop()
        item = self._item_at(event.position())
        if item is not None and item.node.kind in (PERSON, ANCESTOR):
            self.contact_double_clicked.emit(item.node.key)
            return
        super().mouseDoubleClickEvent(event)

    def _emit_click(self) -> None:
        if self._clicked_id:
            self.contact_clicked.emit(self._clicked_id)
