"""API keys: list, create (shown once), require signatures, block and unblock, delete."""

from __future__ import annotations

from starlette.responses import Response

from planfix_server.admin.site import Site, Visit
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.access.service import IssuedKey, issue_key

FREE_PLAN = "The free plan has no API access (0022): keys and tokens cannot be made."

# The actions on one key, and the notice shown after each.
ACTIONS = {
    "block": "Key {hint}… blocked: calls made with it answer 0002.",
    "unblock": "Key {hint}… unblocked: it works again.",
    "require-signature": "Key {hint}… now requires signed requests (unsigned ones answer 0006).",
    "allow-unsigned": "Key {hint}… accepts unsigned requests again.",
    "delete": "Key {hint}… deleted: calls made with it answer 0001.",
}


def keys_page(site: Site, visit: Visit, issued: IssuedKey | None = None) -> Response:
    return site.render(
        visit,
        "keys.html",
        section="keys",
        keys=visit.uow.get(AccessRepository).keys(),
        issued=issued,
        api_url=f"{visit.request.base_url}xml/",
    )


def show(site: Site, visit: Visit) -> Response:
    return keys_page(site, visit)


def create(site: Site, visit: Visit) -> Response:
    if visit.account.plan == "free":
        return site.redirect(visit.request, "/account/keys", FREE_PLAN, "error")
    issued = issue_key(visit.uow, visit.now, require_signature=visit.form.get("require_signature") == "1")
    # Rendered, not redirected: the secrets exist only in this answer.
    return keys_page(site, visit, issued)


def change(site: Site, visit: Visit) -> Response:
    action = str(visit.request.path_params["action"])
    repo = visit.uow.get(AccessRepository)
    key = repo.key(int(visit.request.path_params["key_id"]))
    if key is None or action not in ACTIONS:
        return site.redirect(visit.request, "/account/keys", "No such key.", "error")
    if action in ("block", "unblock"):
        repo.set_key_blocked_by_id(key.id, action == "block")
    elif action in ("require-signature", "allow-unsigned"):
        repo.set_key_require_signature(key.id, action == "require-signature")
    else:
        repo.delete_key(key.id)
    return site.redirect(visit.request, "/account/keys", ACTIONS[action].format(hint=key.key_hint))
