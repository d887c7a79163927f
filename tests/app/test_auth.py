"""Hosted mode: sign-in first (st.login), then onatool's own rules on projects and names.

AppTest simulates the signed-in person through ``at.user`` (what ``st.user`` reads) and
the deployment's ``secrets.toml`` through ``at.secrets``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from onatool.app.auth import Access, access_for, hosted, read_secret_files, user_key
from onatool.errors import InputFormatError
from onatool.project import Project
from onatool.store import Workspace
from tests.hostile.corpus import good_roster, good_ties_rows, write_csv

ROOT = Path(__file__).resolve().parents[2]
PAGES = "onatool/app/pages"
OIDC = {
    "redirect_uri": "https://ona.example.nhs.uk/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "microsoft": {
        "client_id": "00000000-0000-0000-0000-000000000000",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111"
                               "/v2.0/.well-known/openid-configuration",
    },
}
TENANT = "11111111-1111-1111-1111-111111111111"
#: Immutable Entra ids (tid/oid) of the people in these tests, by their (changeable) email.
OIDS = {"alex.lead@nhs.net": "aaaaaaaa-0000-0000-0000-000000000001",
        "sam.analyst@nhs.net": "aaaaaaaa-0000-0000-0000-000000000002",
        "jo.viewer@nhs.net": "aaaaaaaa-0000-0000-0000-000000000003",
        "eve@elsewhere.example": "eeeeeeee-0000-0000-0000-00000000000e"}


def uid(email: str) -> str:
    return f"{TENANT}/{OIDS[email.casefold()]}"


USERS = {
    uid("alex.lead@nhs.net"): {"role": "admin", "name": "Alex Lead"},
    uid("sam.analyst@nhs.net").upper(): {"role": "analyst", "projects": ["North place"]},  # ids ignore case
    uid("jo.viewer@nhs.net"): {"role": "viewer", "projects": ["North place", "No such project"]},
}
SECRETS = {"auth": OIDC, "onatool": {"users": USERS}}


# The rules, without Streamlit --------------------------------------------------------------


def test_local_use_is_one_user_with_every_right():
    access = access_for(None, {}, local_user="pat")
    assert access == Access("pat", "admin", None)
    assert access.may_open("anything") and access.may_reveal_names and access.may_import and access.may_manage


@pytest.mark.parametrize(("email", "role", "north", "south", "names", "imports", "manages"), [
    ("alex.lead@nhs.net", "admin", True, True, True, True, True),
    ("sam.analyst@NHS.net", "analyst", True, False, True, True, False),
    ("jo.viewer@nhs.net", "viewer", True, False, False, False, False),
    ("eve@elsewhere.example", "", False, False, False, False, False),  # signed in, not listed
    (None, "", False, False, False, False, False),  # not signed in
])
def test_hosted_rules(email, role, north, south, names, imports, manages):
    access = access_for(uid(email) if email else None, SECRETS)
    assert access.role == role
    assert (access.may_open("North Place"), access.may_open("South place")) == (north, south)
    assert (access.may_reveal_names, access.may_import, access.may_manage) == (names, imports, manages)


def test_a_sign_in_without_rules_grants_nothing():
    assert not access_for(uid("alex.lead@nhs.net"), {"auth": OIDC}).allowed


@pytest.mark.parametrize("entry", [{"role": "superuser"}, {"role": "viewer", "projects": "North place"}])
def test_a_misconfigured_rule_is_an_error_not_a_grant(entry):
    with pytest.raises(InputFormatError, match="onatool.users"):
        access_for("t/x", {"auth": OIDC, "onatool": {"users": {"t/x": entry}}})


def test_roles_are_keyed_on_the_immutable_id_never_the_email():
    # An email-keyed rule is refused outright: emails and sign-in names can be reassigned.
    with pytest.raises(InputFormatError, match="by email"):
        access_for(uid("jo.viewer@nhs.net"), {"auth": OIDC, "onatool": {"users": {"jo.viewer@nhs.net": {"role": "admin"}}}})
    # Entra: tenant and object id; another provider: sub. The email claim plays no part.
    assert user_key({"oid": OIDS["jo.viewer@nhs.net"], "tid": TENANT, "email": "alex.lead@nhs.net"}) == uid("jo.viewer@nhs.net")
    assert user_key({"sub": "abc", "email": "alex.lead@nhs.net"}) == "abc"
    assert user_key({"email": "alex.lead@nhs.net", "preferred_username": "alex.lead@nhs.net"}) is None
    # The same object id in another tenant is someone else.
    assert not access_for(f"22222222-2222-2222-2222-222222222222/{OIDS['alex.lead@nhs.net']}", SECRETS).allowed


def test_secrets_files_merge_as_streamlit_merges_them(tmp_path):
    home, app = tmp_path / "home.toml", tmp_path / "app.toml"
    home.write_text('[auth]\nredirect_uri = "https://a/oauth2callback"\n[onatool.users]\n"a@x" = {role="admin"}\n')
    app.write_text('[onatool.users]\n"b@x" = {role="viewer", projects=["P"]}\n')
    merged = read_secret_files([home, app, tmp_path / "missing.toml"])
    assert hosted(merged) and list(merged["onatool"]["users"]) == ["b@x"]
    app.write_text("[onatool\n")
    with pytest.raises(InputFormatError, match="app.toml: not valid TOML"):
        read_secret_files([app])


# The app, with simulated users ------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> str:
    """Two small projects (so the sample is not made): North place and South place."""
    folder = tmp_path_factory.mktemp("hosted")
    ws = Workspace(folder / "workspace.sqlite")
    answers = write_csv(folder / "ties.csv", good_ties_rows())
    for name in ("North place", "South place"):
        ws.create_project(name)
        Project(ws, name).save_wave(Project(ws, name).read_wave(answers, wave="baseline", roster_file=good_roster(folder)))
    return str(ws.path)


@pytest.fixture
def app(workspace, monkeypatch):
    monkeypatch.setenv("ONATOOL_WORKSPACE", workspace)

    def _open(user: dict | None, page: str | None = None, secrets: dict | None = None, **state) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets.update(SECRETS if secrets is None else secrets)
        at.user = user if user is not None else {}
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0], "oid": OIDS[email.casefold()],
            "tid": TENANT, "sub": f"pairwise-{email}"}


def test_nobody_signed_in_gets_a_sign_in_button_and_nothing_else(app):
    at = app({"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.selectbox and not at.dataframe
    assert "North place" not in str([m.value for m in at.markdown])


def test_a_signed_in_stranger_is_told_and_sees_no_project(app):
    at = app(signed_in("eve@elsewhere.example"))
    assert "has not been given access" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.sidebar.selectbox


def test_an_analyst_sees_only_their_projects_and_may_reveal_names(app, workspace):
    at = app(signed_in("sam.analyst@nhs.net"))
    assert at.sidebar.selectbox(key="project").options == ["North place"]
    assert not at.sidebar.toggle(key="reveal_names").disabled
    assert at.session_state["user"] == f"sam.analyst ({uid('sam.analyst@nhs.net')})"
    at.sidebar.toggle(key="reveal_names").set_value(True).run()
    assert any("Names are revealed" in w.value for w in at.warning)
    log = Workspace(workspace).audit_log("North place")
    assert uid("sam.analyst@nhs.net") in log["user"].iloc[-1] and log["action"].iloc[-1] == "names revealed"


def test_a_viewer_cannot_reveal_names_and_is_told_why(app):
    at = app(signed_in("jo.viewer@nhs.net"), reveal_names=True)  # even if the state says otherwise
    toggle = at.sidebar.toggle(key="reveal_names")
    assert toggle.disabled and toggle.value is False
    assert "cannot reveal names" in " ".join(c.value for c in at.sidebar.caption)
    at = app(signed_in("jo.viewer@nhs.net"), page="people", reveal_names=True)
    groups = at.dataframe[0].value  # a viewer is always in workshop mode: groups, never a person
    assert groups.index.name != "person" and not any(str(p).startswith("P0") for p in groups.index)
    assert not any("Names are revealed" in w.value for w in at.warning)


def test_a_viewer_has_no_import_page_and_no_project_forms(app):
    at = app(signed_in("jo.viewer@nhs.net"))
    assert at.title[0].value == "Project"
    assert not at.text_input  # no create, rename or delete forms
    with pytest.raises(ValueError, match="Could not find a navigation page .*import_data"):
        at.switch_page(f"{PAGES}/import_data.py")  # the page is not registered for a viewer


def test_an_admin_sees_every_project_and_manages_them(app):
    at = app(signed_in("alex.lead@nhs.net"))
    assert at.sidebar.selectbox(key="project").options == ["North place", "South place"]
    assert any(f.label == "Name" for f in at.text_input)


def test_a_project_chosen_by_hand_that_is_not_theirs_is_not_opened(app):
    at = app(signed_in("sam.analyst@nhs.net"), page="people", project="South place")
    assert at.sidebar.selectbox(key="project").value == "North place"


def test_without_auth_secrets_the_app_is_local_and_open(app):
    at = app({}, secrets={})
    assert at.sidebar.selectbox(key="project").options == ["North place", "South place"]
    assert not at.sidebar.toggle(key="reveal_names").disabled


def test_an_email_reassigned_to_someone_else_does_not_carry_the_old_role(app):
    # Eve now holds the address Alex had: the claims say so, and her object id is hers.
    at = app({"is_logged_in": True, "email": "alex.lead@nhs.net", "preferred_username": "alex.lead@nhs.net",
              "oid": OIDS["eve@elsewhere.example"], "tid": TENANT})
    assert "has not been given access" in at.warning[0].value
    assert not at.sidebar.selectbox


def test_a_viewer_cannot_lower_k_or_leave_workshop_mode(app, workspace):
    from onatool.share.disclosure import POLICY_SETTING

    at = app(signed_in("jo.viewer@nhs.net"), page="boundaries", k=1, workshop=False)
    assert at.session_state["k"] == 5 and at.session_state["workshop"] is True
    assert at.sidebar.toggle(key="workshop").disabled
    assert at.sidebar.number_input(key="k").min == 5
    # The project's own policy, held in the workspace, is the floor for every session.
    Workspace(workspace).set_setting("North place", POLICY_SETTING, {"k": 8, "preset": "k"})
    try:
        at = app(signed_in("sam.analyst@nhs.net"), k=2, workshop=False)
        assert at.session_state["k"] == 8 and at.session_state["workshop"] is False  # analysts may leave it
        at.sidebar.number_input(key="k").set_value(3).run()
        assert at.session_state["k"] >= 8 or at.exception
    finally:
        Workspace(workspace).set_setting("North place", POLICY_SETTING, {"k": 5, "preset": "k"})
