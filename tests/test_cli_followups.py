"""``crm followups done ID [--json]``: the follow-up marked done, and done only once."""

from __future__ import annotations

import os

import pytest
from clitools import make_crm

from crm.core import clock


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def test_done_with_json_prints_when_and_a_second_time_is_refused(crm):
    anna, marco = crm.add("Anna", "Bianchi"), crm.add("Marco", "Rossi")
    crm.json("refer", str(anna), str(marco))
    (item,) = crm.json("followups", "--json")
    # The clock runs on from the suite's moment: back to it (the calls above may take a while).
    clock.set_now(clock.parse(os.environ["CRM_NOW"]))
    done = crm.json("followups", "done", str(item["id"]), "--json")
    assert done == {"id": item["id"], "done_at": "2026-12-06 10:00:00"}
    assert crm.json("followups", "--json") == []
    line = crm.refused("followups", "done", str(item["id"]), "--json", match="already done")
    assert line == f"error: Follow-up {item['id']} was already done on 2026-12-06"


def test_done_refuses_an_unknown_follow_up(crm):
    crm.refused("followups", "done", "404", "--json", match="No follow-up with id 404")
