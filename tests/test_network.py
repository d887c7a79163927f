"""The Network model: validation, immutability, layers and subsets."""

import numpy as np
import pandas as pd
import pytest

from onatool import Network, NetworkValidationError, NotDefinedError, UnknownPersonError, schema


def people(ids, **columns):
    frame = pd.DataFrame({"responded": True, **columns}, index=pd.Index(ids, name="person_id"))
    return frame


def ties(rows):
    return pd.DataFrame(rows, columns=list(schema.TIE_COLUMNS))


def test_every_problem_is_reported_at_once():
    bad_people = pd.DataFrame(
        {"name": ["Ann", "Bo", "Cy"], "level": ["top", "boss", None]},
        index=pd.Index(["a", "a", "c"], name="person_id"),
    )
    bad_ties = ties([("a", "a", "advice", 1, "1"), ("a", "zz", "advice", "x", "x"),
                     ("c", "a", "advice", 1, "1"), ("c", "a", "advice", 2, "2")])
    with pytest.raises(NetworkValidationError) as caught:
        Network(bad_people, bad_ties, wave="")
    problems = "\n".join(caught.value.problems)
    for expected in ("unique", "identifying column", "responded", "level must be one of",
                     "finite numeric weight", "target not in people", "self-tie",
                     "repeated tie", "wave must be"):
        assert expected in problems, expected
    assert len(caught.value.problems) == 9


def test_missing_tie_columns_and_index_name():
    frame = pd.DataFrame({"responded": [True]}, index=["a"])
    with pytest.raises(NetworkValidationError) as caught:
        Network(frame, pd.DataFrame({"source": ["a"]}))
    text = str(caught.value)
    assert "indexed by 'person_id'" in text and "missing column(s)" in text


def test_tables_are_copies_and_read_only():
    p = people(["a", "b"], organisation=["X", "Y"])
    t = ties([("a", "b", "advice", 1, "Yes")])
    net = Network(p, t)
    p.loc["a", "organisation"] = "changed"
    assert net.people.loc["a", "organisation"] == "X"
    with pytest.raises(ValueError):
        net.ties["weight"].to_numpy()[0] = 5.0
    with pytest.raises(AttributeError):
        net.wave = "other"  # frozen dataclass


def test_weights_kept_and_layer_thresholds():
    t = ties([("a", "b", "collaboration", 0, "Never"), ("a", "c", "collaboration", 4, "Weekly"),
              ("b", "c", "collaboration", 2, "Quarterly"), ("c", "a", "advice", 1, "Yes")])
    net = Network(people(["a", "b", "c"]), t, relations=schema.RELATIONS)
    assert net.n_ties == 4  # "Never" is kept as an answer
    collab = net.layer("collaboration")
    assert collab.n_ties == 2 and collab.is_symmetric("collaboration")  # default: weight > 0
    assert net.layer("collaboration", min_weight=3).ties["target"].tolist() == ["c"]
    assert net.layer("collaboration", min_weight=0).n_ties == 3


def test_layer_merges_relations_keeping_highest_weight():
    t = ties([("a", "b", "advice", 1, "Yes"), ("a", "b", "trust", 3, "3"), ("b", "a", "trust", 1, "1")])
    merged = Network(people(["a", "b"]), t).layer(["advice", "trust"])
    assert merged.relation_names == ("advice+trust",)
    assert merged.ties.set_index(["source", "target"])["weight"].to_dict() == {("a", "b"): 3.0, ("b", "a"): 1.0}
    assert not merged.is_symmetric("advice+trust")


def test_layer_unknown_relation_is_clear():
    net = Network.from_edges([("a", "b")], relation="advice")
    with pytest.raises(NotDefinedError, match="relation 'trust' is not in wave"):
        net.layer("trust")


def test_subset_keeps_ties_among_kept_people():
    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    sub = net.subset(["a", "b"])
    assert sub.n_people == 2 and sub.ties[["source", "target"]].to_numpy().tolist() == [["a", "b"]]
    mask = pd.Series({"a": True, "b": False, "c": True})
    assert set(net.subset(mask).people.index) == {"a", "c"}
    with pytest.raises(UnknownPersonError, match="not in wave"):
        net.subset(["a", "nobody"])


def test_response_rate_and_respondents():
    p = people(["a", "b", "c", "d"])
    p["responded"] = [True, True, False, True]
    net = Network(p, ties([("a", "c", "advice", 1, "1")]))
    assert net.response_rate == pytest.approx(0.75)
    assert list(net.respondents) == ["a", "b", "d"]


def test_from_edges_keeps_isolates_and_attributes():
    net = Network.from_edges([("a", "b", 2)], people={"a": {"level": "top"}, "z": {"level": "bottom"}})
    assert set(net.people.index) == {"a", "b", "z"}
    assert net.people.loc["z", "level"] == "bottom"
    assert np.isnan(net.people.loc["b"].get("level")) or pd.isna(net.people.loc["b", "level"])
    assert net.ties["weight"].tolist() == [2.0]


def test_repr_says_what_it_holds():
    assert "people=2" in repr(Network.from_edges([("a", "b")]))
