"""The CLI's fast JSON text is json.dumps(indent=2)'s, character for character."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.cli import json_text


def reference(data):
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    # Brackets, quotes, commas and line breaks inside strings must stay where they are.
    st.text(alphabet=st.sampled_from('ab{}[],:"\\\n\t é€αи٣ '), max_size=12),
)
RECORD = st.dictionaries(st.text(max_size=5), SCALARS, max_size=6)
DATA = st.recursive(
    st.one_of(SCALARS, st.lists(RECORD, max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        st.lists(RECORD, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(DATA)
def test_same_text_as_json_dumps(data):
    assert json_text.dumps(data) == reference(data)


def test_a_chain_shaped_document_with_values_json_cannot_encode_itself():
    records = [
        {"id": i, "name": f'Ελένη {i} "}},\n  {{"', "depth": i % 4, "won_value": i / 3}
        for i in range(50)
    ]
    data = {
        "contact": {"id": 1, "emails": ["a@b.c"], "tags": [], "birthday": None, "x": {}},
        "ancestors": [],
        "descendants": records,
        "when": dt.date(2026, 1, 2),
        "money": [{"amount": Decimal("1.50"), "on": dt.date(2026, 1, 2)}, {"amount": 2}],
        "totals": {"descendants": 50, "won_value": 408.33},
        3: "a key json turns into text",
    }
    assert json_text.dumps(data) == reference(data)
    assert json_text.dumps(records) == reference(records)
    assert json_text.dumps([{}, {}]) == reference([{}, {}])
