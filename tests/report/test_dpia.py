"""The DPIA summary: what is held and shown, never the data itself."""

from __future__ import annotations

import json

import pandas as pd

from onatool import Network
from onatool.outputs.dpia import dpia_summary, write_dpia
from onatool.share.disclosure import Disclosure


def test_summary_lists_fields_not_values(partnership, tmp_path):
    results = partnership["results"]
    named = Disclosure().reveal_names(user="ana", project="p", audit=lambda *e: None)
    summary = dpia_summary([r.network for r in results], identities=partnership["roster"].identities,
                           exports={"excel": named, "report": Disclosure()}, project="Test place")
    md, js = write_dpia(tmp_path, summary)
    text = md.read_text() + js.read_text()
    assert not [n for n in partnership["names"] if n in text]
    assert "Northmoor Acute Hospitals" not in text and "X001" not in text
    fields = {f["field"]: f for f in summary["fields"]}
    assert fields["name"]["kind"] == "identifying" and fields["organisation"]["distinct_values"] == 5
    assert summary["names"]["revealed_in_this_run"] is True
    assert json.loads(js.read_text())["exports"][0] == {
        "output": "excel", "names_revealed": True, "revealed_by": "ana", "threshold": 5, "preset": "k"}
    assert "public task" in md.read_text() and "| follow-up | 33 |" in md.read_text()


def test_possible_special_category_column_is_flagged():
    people = pd.DataFrame({"organisation": ["A", "B"], "Ethnicity": ["x", "y"]},
                          index=pd.Index(["a", "b"], name="person_id"))
    summary = dpia_summary([Network.from_edges([("a", "b")], people=people)])
    assert summary["review"] and "Ethnicity" in summary["review"][0]
