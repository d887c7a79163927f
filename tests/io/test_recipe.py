"""Recipes: detect once, confirm, save; the next wave imports in one step or says what changed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from onatool.errors import InputFormatError
from onatool.io import (
    detect,
    import_responses,
    load_recipe,
    read_roster,
    recipe_from_detection,
    save_recipe,
)
from onatool.io.detect import suggest_relation
from onatool.io.recipe import SCALES, Recipe
from tests.support import survey_builders as sb
from tests.support.survey_builders import Response

KEY = b"r" * 32
DAY = dt.datetime(2025, 11, 3, 9, 0)
WAVE1 = [Response("ann.lee@acute.example", ["Bo Chan", "Jo Smith"], {"Bo Chan": "Weekly", "Jo Smith": "Never"}, DAY),
         Response("bo.chan@council.example", ["Ann Lee"], {"Ann Lee": "Daily"}, DAY)]
WAVE2 = [Response("ann.lee@acute.example", ["Margaret Okonkwo"], {"Bo Chan": "Monthly"}, DAY),
         Response("jo.smith@acute.example", ["Ann Lee", "Bo Chan"], {"Ann Lee": "Quarterly"}, DAY)]


@pytest.fixture
def roster(tmp_path):
    return sb.write_roster(tmp_path / "roster.csv")


def test_detection_reports_layout_identity_questions_samples_and_scales(tmp_path, roster):
    found = detect(sb.forms(tmp_path / "w1.xlsx", WAVE1), roster=read_roster(roster, key=KEY))
    assert (found.layout, found.identity, found.submitted) == ("microsoft_forms", "Email", "Completion time")
    questions = {q.question: q for q in found.questions}
    advice, collab, role = questions[sb.ADVICE_Q], questions[sb.COLLAB_Q], questions[sb.ROLE_Q]
    assert (advice.kind, advice.relation, advice.relational) == ("names", "advice", True)
    assert advice.samples == ("Bo Chan;Jo Smith;", "Ann Lee;")
    assert (collab.kind, collab.columns, collab.relation, collab.scale) == ("grid", 6, "collaboration", "frequency")
    assert collab.answers == ("Daily", "Never", "Weekly") and collab.unknown_answers == ()
    assert not role.relational
    assert dict(found.dropped)["Name"].startswith("identifying")


def test_detection_without_a_roster_still_finds_the_obvious(tmp_path):
    found = detect(sb.qualtrics(tmp_path / "q.csv", WAVE1))
    assert (found.layout, found.identity, found.complete) == ("qualtrics", "RecipientEmail", "Finished")
    assert [q.relation for q in found.relation_questions] == ["advice", "collaboration"]


def test_detection_can_be_overridden(tmp_path, roster):
    path = tmp_path / "plain.csv"
    pd.DataFrame([["Email", "Advice"], ["ann.lee@acute.example", "Bo Chan"]]).to_csv(path, header=False, index=False)
    with pytest.raises(InputFormatError, match="layout could not be told"):
        detect(path)
    found = detect(path, layout="multi_select", roster=read_roster(roster, key=KEY))
    assert found.layout == "multi_select" and found.identity == "Email"
    recipe = recipe_from_detection(found, relations={"Advice": "advice"})
    assert [(q.question, q.relation) for q in recipe.questions] == [("Advice", "advice")]


def test_recipe_round_trip_and_next_wave_in_one_step(tmp_path, roster):
    first = import_responses(roster, sb.forms(tmp_path / "w1.xlsx", WAVE1), key=KEY)
    for name in ("recipe.yaml", "recipe.json"):
        path = save_recipe(first.recipe, tmp_path / name)
        assert load_recipe(path) == first.recipe
    text = (tmp_path / "recipe.yaml").read_text()
    assert "relation: collaboration" in text and "Never: 0" in text
    second = import_responses(roster, sb.forms(tmp_path / "w2.xlsx", WAVE2), key=KEY, recipe=tmp_path / "recipe.yaml")
    ids = second.roster.identities["id"]
    t = second.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("A1", "E5", "advice", 1.0), ("A1", "B2", "collaboration", 3.0),
        ("C3", "A1", "advice", 1.0), ("C3", "B2", "advice", 1.0), ("C3", "A1", "collaboration", 2.0)}
    assert second.network.wave == "w2"


def test_an_edited_scale_is_used(tmp_path, roster):
    first = import_responses(roster, sb.forms(tmp_path / "w1.csv", WAVE1), key=KEY)
    data = first.recipe.to_dict()
    data["scales"]["frequency"]["Weekly"] = 10
    result = import_responses(roster, tmp_path / "w1.csv", key=KEY, recipe=Recipe.from_dict(data))
    weekly = result.network.ties.query("raw_value == 'Weekly'")
    assert weekly["weight"].tolist() == [10.0]


def test_a_renamed_question_is_named_in_the_error(tmp_path, roster):
    first = import_responses(roster, sb.forms(tmp_path / "w1.csv", WAVE1), key=KEY)
    later = sb.forms(tmp_path / "w2.csv", WAVE2)
    text = later.read_text().replace(sb.ADVICE_Q, "Who do you go to for advice about your work?")
    later.write_text(text.replace("Email", "E-mail address"))
    with pytest.raises(InputFormatError) as caught:
        import_responses(roster, later, key=KEY, recipe=first.recipe)
    message = str(caught.value)
    assert "w2.csv" in message and "no longer fits its recipe" in message
    assert "identity column 'Email'" in message
    assert "renamed to 'Who do you go to for advice about your work?'" in message
    assert "update the recipe" in message


@pytest.mark.parametrize("data, message", [
    ({"layout": "fax"}, "unknown layout 'fax'"),
    ({"layout": "microsoft_forms", "colour": "red"}, r"unknown recipe key\(s\) \['colour'\]"),
    ({"layout": "microsoft_forms", "questions": [{"question": "Q"}]}, "needs 'question'"),
    ({"layout": "microsoft_forms", "questions": [{"question": "Q", "relation": "advice", "scale": "x"}]},
     "scale 'x', which the recipe lacks"),
    ({"layout": "microsoft_forms", "scales": {"f": {"Weekly": "lots"}}}, "weight 'lots'"),
    ({"layout": "microsoft_forms", "questions": [{"question": "Q", "relation": "a", "kind": "star"}]},
     "kind 'star'"),
])
def test_bad_recipes_say_what_is_wrong(tmp_path, data, message):
    import yaml

    path = tmp_path / "recipe.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputFormatError, match=rf"recipe\.yaml.*{message}"):
        load_recipe(path)


def test_recipe_without_identity_is_refused(tmp_path, roster):
    recipe = Recipe("microsoft_forms", questions=())
    with pytest.raises(InputFormatError, match="names no identity column"):
        import_responses(roster, sb.forms(tmp_path / "w.csv", WAVE1), key=KEY, recipe=recipe)


def test_a_question_left_out_by_the_user(tmp_path, roster):
    found = detect(sb.forms(tmp_path / "w1.csv", WAVE1), roster=read_roster(roster, key=KEY))
    recipe = recipe_from_detection(found, relations={sb.COLLAB_Q: None})
    assert [q.relation for q in recipe.questions] == ["advice"]
    with pytest.raises(InputFormatError, match="no question 'Nope'"):
        recipe_from_detection(found, relations={"Nope": "advice"})


def test_roster_maps_travel_with_the_recipe(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Staff number,Full name,Email,Employer,Seniority\n"
                      "A1,Ann Lee,ann.lee@acute.example,Acute,Band 9\nB2,Bo Chan,bo.chan@council.example,Council,Band 5\n")
    found = detect(sb.forms(tmp_path / "w1.csv", WAVE1))
    recipe = recipe_from_detection(found, roster_column_map={"Staff number": "id"},
                                   roster_value_maps={"level": {"Band 9": "top", "Band 5": "bottom"}})
    result = import_responses(roster, tmp_path / "w1.csv", key=KEY, recipe=recipe)
    assert sorted(result.network.people["level"]) == ["bottom", "top"]
    assert sorted(result.roster.identities["id"]) == ["A1", "B2"]


def test_suggested_relations_and_scales():
    assert suggest_relation("Whom do you trust?") == "trust"
    assert suggest_relation("Who have you met through the programme?") == "met"
    assert suggest_relation("Who would you raise a concern with?") == "concern"
    assert SCALES["frequency"]["Never"] == 0 and SCALES["agreement"]["Disagree"] < 0
    assert SCALES["frequency"]["Not applicable"] is None
