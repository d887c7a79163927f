"""Hosted mode: who is signed in (``st.login``, OIDC) and what they may do (onatool's own rules).

Run locally, the app has one user, the person at the keyboard, with every right: nothing
here changes anything. Hosted (an ``[auth]`` section in Streamlit's ``secrets.toml``, for
example Microsoft Entra ID), everyone signs in first, and onatool then decides, from an
``[onatool.users]`` table in the same file, which projects each person may open and who
may reveal names. ``st.login`` authenticates; this module authorises. A signed-in person
who is not listed sees nothing.

People are listed by the identity provider's immutable user id, never by email or
``preferred_username``, which can change and be given to someone else: for Microsoft
Entra ID, ``"<tid>/<oid>"`` (tenant id and object id); for other providers, the ``sub``
claim. ``name`` is only a label for the audit log.

Roles
-----
``admin``
    Every project; may reveal names, import waves, and create, rename and delete projects.
``analyst``
    The projects listed; may reveal names and import waves.
``viewer``
    The projects listed; names stay hidden; no import, no project changes.

Example ``.streamlit/secrets.toml`` (see ``docs/hosting.md``)::

    [auth]
    redirect_uri = "https://ona.example.nhs.uk/oauth2callback"
    cookie_secret = "a long random string"

    [auth.microsoft]
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.microsoftonline.com/<tenant-id>/v2.0/.well-known/openid-configuration"

    [onatool.users]
    "11111111-1111-1111-1111-111111111111/aaaaaaaa-0000-0000-0000-000000000001" = { role = "admin", name = "Alex Lead" }
    "11111111-1111-1111-1111-111111111111/aaaaaaaa-0000-0000-0000-000000000002" = { role = "analyst", projects = ["North place"] }
    "11111111-1111-1111-1111-111111111111/aaaaaaaa-0000-0000-0000-000000000003" = { role = "viewer", projects = ["North place"] }

Only this module reads the rules; the functions that do not touch Streamlit
(:func:`access_for`, :func:`hosted`, :func:`read_secret_files`) are plain and used by
the CLI too, so ``onatool ui`` knows whether the app would ask people to sign in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onatool.errors import InputFormatError

__all__ = [
    "ROLES",
    "Access",
    "access_for",
    "current_access",
    "gate",
    "hosted",
    "read_secret_files",
    "secret_files",
    "user_key",
]

ROLES = ("admin", "analyst", "viewer")


@dataclass(frozen=True)
class Access:
    """What one person may do.

    Attributes
    ----------
    user
        Who, for the audit log: ``"<name> (<immutable id>)"`` when signed in; the login
        name when local.
    role
        One of :data:`ROLES`, or ``""`` for a signed-in person with no rights.
    projects
        The project names they may open, or None for every project.
    """

    user: str
    role: str
    projects: frozenset[str] | None = None

    @property
    def allowed(self) -> bool:
        """Whether they may use the app at all."""
        return self.role in ROLES

    @property
    def may_reveal_names(self) -> bool:
        """Whether they may switch names on (admins and analysts)."""
        return self.role in ("admin", "analyst")

    @property
    def may_import(self) -> bool:
        """Whether they may import waves into the projects they may open."""
        return self.role in ("admin", "analyst")

    @property
    def may_manage(self) -> bool:
        """Whether they may create, rename and delete projects (admins)."""
        return self.role == "admin"

    def may_open(self, project: str) -> bool:
        """Whether they may open ``project`` (names compared ignoring case).

        Examples
        --------
        >>> Access("sam@x.nhs.uk", "viewer", frozenset({"north place"})).may_open("North Place")
        True
        """
        if not self.allowed:
            return False
        return self.projects is None or project.casefold() in self.projects

    def visible(self, projects: Sequence[str]) -> list[str]:
        """The projects of ``projects`` they may open, in the same order."""
        return [p for p in projects if self.may_open(p)]

    @property
    def why_no_names(self) -> str:
        """The reason shown beside a disabled reveal-names switch."""
        return "" if self.may_reveal_names else f"Your role ({self.role or 'none'}) cannot reveal names."


def hosted(secrets: Mapping[str, Any]) -> bool:
    """Whether the secrets configure sign-in (an ``[auth]`` section), so the app is hosted.

    Examples
    --------
    >>> hosted({}), hosted({"auth": {"redirect_uri": "https://x/oauth2callback"}})
    (False, True)
    """
    return isinstance(secrets.get("auth"), Mapping) and bool(secrets["auth"])


def user_key(claims: Mapping[str, Any]) -> str | None:
    """The signed-in person's immutable id, from their identity token's claims.

    Microsoft Entra ID: ``"<tid>/<oid>"`` (an object id is unique only within its
    tenant); any other provider: ``sub``. Never ``email`` or ``preferred_username``:
    those can change and be reassigned to someone else. None without such a claim.

    Examples
    --------
    >>> user_key({"oid": "AAAA", "tid": "T1", "sub": "x", "email": "a@b"}), user_key({"sub": "123"})
    ('t1/aaaa', '123')
    >>> user_key({"email": "a@nhs.net", "preferred_username": "a@nhs.net"}) is None
    True
    """
    oid, tid = claims.get("oid"), claims.get("tid")
    if oid and tid:
        return f"{tid}/{oid}".casefold()
    sub = claims.get("sub")
    return str(sub) if sub else None


def _same_key(configured: str, key: str) -> bool:
    return configured.casefold() == key.casefold() if "/" in configured else configured == key


def access_for(user: str | None, secrets: Mapping[str, Any], *, local_user: str = "local user",
               display: str = "") -> Access:
    """What the person with immutable id ``user`` may do under the rules in ``secrets``.

    Parameters
    ----------
    user
        The signed-in person's immutable id (:func:`user_key`); None when nobody is
        signed in (or the token carries no immutable id).
    secrets
        The parsed ``secrets.toml`` (a mapping).
    local_user
        Who the local, not hosted, user is (for the audit log).
    display
        A readable name for the audit log (the ``name`` in their entry wins).

    Returns
    -------
    Access
        Local (no ``[auth]``): ``local_user`` as admin of every project. Hosted: the
        role and projects listed for ``user`` in ``[onatool.users]``; nobody signed in,
        or not listed: no rights.

    Raises
    ------
    InputFormatError
        If a listed user's role is not one of :data:`ROLES`, their projects are not a
        list of names, or users are keyed by email (the deployment's configuration is
        wrong: say so, grant nothing).

    Examples
    --------
    >>> rules = {"auth": {"redirect_uri": "x"}, "onatool": {"users": {
    ...     "T1/AAAA": {"role": "viewer", "projects": ["North place"], "name": "Sam"}}}}
    >>> a = access_for("t1/aaaa", rules)
    >>> a.role, a.user, a.may_open("north place"), a.may_open("South"), a.may_reveal_names
    ('viewer', 'Sam (t1/aaaa)', True, False, False)
    >>> access_for("t1/bbbb", rules).allowed, access_for(None, {}).role
    (False, 'admin')
    """
    if not hosted(secrets):
        return Access(local_user, "admin", None)
    users = (secrets.get("onatool") or {}).get("users") or {}
    emails = [str(k) for k in users if "@" in str(k)]
    if emails:
        raise InputFormatError(
            f"secrets.toml: [onatool.users] lists {emails[0]!r} by email",
            expected='the identity provider\'s immutable user id ("<tid>/<oid>" for Microsoft Entra ID, '
                     "else the sub claim): emails and preferred_username can change and be reassigned",
        )
    if not user:
        return Access("", "", frozenset())
    entry = next((v for k, v in users.items() if _same_key(str(k), user)), None)
    if entry is None:
        return Access(f"{display} ({user})" if display else user, "", frozenset())
    role = entry.get("role") if isinstance(entry, Mapping) else None
    if role not in ROLES:
        raise InputFormatError(
            f"secrets.toml: [onatool.users] gives {user!r} the role {role!r}",
            expected=f"one of {', '.join(ROLES)}",
        )
    label = str(entry.get("name") or display or "").strip()
    who = f"{label} ({user})" if label else user
    if role == "admin":
        return Access(who, role, None)
    projects = entry.get("projects", [])
    if not isinstance(projects, list) or not all(isinstance(p, str) for p in projects):
        raise InputFormatError(
            f"secrets.toml: [onatool.users] gives {user!r} projects {projects!r}",
            expected='a list of project names, e.g. projects = ["North place"]',
        )
    return Access(who, role, frozenset(p.casefold() for p in projects))


def secret_files(app_folder: Path) -> list[Path]:
    """Where Streamlit looks for ``secrets.toml`` by default, later files winning."""
    return [Path.home() / ".streamlit" / "secrets.toml", app_folder / ".streamlit" / "secrets.toml"]


def read_secret_files(paths: Sequence[Path]) -> dict[str, Any]:
    """The secrets as Streamlit merges them: top-level sections of later files win.

    Raises
    ------
    InputFormatError
        If a file exists but is not valid TOML.
    """
    merged: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputFormatError(f"{path}: not valid TOML ({exc})", expected="a secrets.toml file") from None
    return merged


# In the app ----------------------------------------------------------------------------


def _secrets() -> dict[str, Any]:
    import streamlit as st

    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


def current_access(local_user: str) -> Access:
    """The access of whoever is using this session (see :func:`access_for`)."""
    import streamlit as st

    secrets = _secrets()
    user, display = None, ""
    if hosted(secrets) and st.user.get("is_logged_in"):
        claims = {k: st.user.get(k) for k in ("oid", "tid", "sub")}
        user = user_key(claims)
        # Only a label: the email and sign-in name can change and be reassigned.
        display = str(st.user.get("name") or st.user.get("email") or st.user.get("preferred_username") or "")
    return access_for(user, secrets, local_user=local_user, display=display)


def gate(local_user: str) -> Access:
    """Stop the page unless the user may use the app: sign-in first, then onatool's rules.

    Local: returns at once (admin). Hosted: a person not signed in gets a sign-in
    button; one signed in but not listed is told so (and may sign out); both stop here.
    """
    import streamlit as st

    secrets = _secrets()
    if not hosted(secrets):
        return access_for(None, secrets, local_user=local_user)
    if not st.user.get("is_logged_in"):
        st.title("onatool")
        st.write("Sign in with your organisation's account to open the analysis.")
        providers = [k for k, v in secrets["auth"].items() if isinstance(v, Mapping)]
        chosen = (secrets.get("onatool") or {}).get("login_provider") or (providers[0] if providers else None)
        st.button("Sign in", type="primary", on_click=st.login, args=(chosen,) if chosen else ())
        st.stop()
    try:
        access = current_access(local_user)
    except InputFormatError as error:
        st.error(f"The app's access rules are misconfigured: {error}")
        st.stop()
    if not access.allowed:
        st.title("onatool")
        st.warning(f"You are signed in as {access.user or 'an unknown user'}, but this account has not been "
                   "given access to any project. Ask the person who runs onatool here to add you.")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    return access
