"""The account pages in a real headless Chromium, against a real server over TLS.

What is made on the pages is then used from an HTTP client against ``/xml/``. Each page is saved as a
screenshot (see conftest.screenshot_dir) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest
from lxml import etree

from planfix_server.pipeline.usage import UsageRepository
from tests.admin.conftest import Live, shoot, today
from tests.support import Tenant, add_user, basic, provision, request_xml

WRONG = "The account name, login or password is wrong."


def xml(
    live: Live, tenant: Tenant, method: str, api_key: str, token: str = "", inner: str = ""
) -> tuple[str, Any]:
    """(status or error code, the answer's root) of one call."""
    answer = httpx.post(
        f"{live.base}/xml/",
        content=request_xml(method, tenant.name, inner),
        headers={"Authorization": basic(api_key, token)},
        verify=False,
        timeout=10,
    )
    root = etree.fromstring(answer.content)
    return (root.get("status") if root.get("status") == "ok" else root.findtext("code") or "?"), root


def sign_in(page: Any, live: Live, account: str, login: str, password: str) -> Any:
    page.goto(f"{live.base}/account/")
    assert page.url.startswith(f"{live.base}/account/sign-in")
    page.fill("#account", account)
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_response(
        lambda r: r.url.endswith("/account/sign-in") and r.request.method == "POST"
    ) as info:
        page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    return info.value


def sign_in_owner(page: Any, live: Live, tenant: Tenant) -> None:
    sign_in(page, live, tenant.name, tenant.owner_login, tenant.owner_password)
    assert page.url == f"{live.base}/account/", page.content()


def seed_usage(live: Live, tenant: Tenant) -> None:
    """A month of made-up usage, so the chart has something to show."""
    with live.write() as connection:
        repo = UsageRepository(connection, tenant.account_id)
        for back in range(1, 30):
            repo.add(today() - dt.timedelta(days=back), 0 if back % 7 in (0, 6) else 400 + (back * 137) % 900)
        connection.commit()


def accept_dialogs(page: Any) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_key_and_token_made_on_the_pages_work_until_blocked_and_revoked(page: Any, live: Live) -> None:
    tenant = provision(live.server, "acme")
    seed_usage(live, tenant)
    accept_dialogs(page)
    sign_in_owner(page, live, tenant)
    assert page.locator("h1").inner_text() == "acme"
    assert page.locator("svg.chart rect.bar").count() == 30
    shoot(page, "01-account")

    page.click("nav >> text=API keys")
    page.click("button:has-text('Create API key')")
    api_key = page.input_value("#new-api-key")
    signature_key = page.input_value("#new-signature-key")
    assert re.fullmatch(r"[0-9a-f]{32}", api_key) and re.fullmatch(r"[0-9a-f]{32}", signature_key)
    assert page.locator("button[data-copy='new-api-key']").is_visible()  # the script shows copy buttons
    shoot(page, "02-keys-new-key")

    page.click("nav >> text=Tokens")
    page.click("button:has-text('Create token')")
    token = page.input_value("#new-token")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    shoot(page, "03-tokens-new-token")

    status, root = xml(live, tenant, "user.get", api_key, token)
    assert status == "ok", etree.tostring(root)

    page.click("nav >> text=API keys")
    row = page.locator("tr", has_text=api_key[:6])
    row.locator("button:has-text('Block')").click()
    assert "blocked" in page.locator(".alert").inner_text()
    assert row.locator(".badge.bad").inner_text() == "Blocked"
    shoot(page, "04-keys-blocked")
    assert xml(live, tenant, "user.get", api_key, token)[0] == "0002"

    page.click("nav >> text=Tokens")
    page.locator("tr", has_text=token[:6]).locator("button:has-text('Revoke')").click()
    assert "revoked" in page.locator(".alert").inner_text()
    shoot(page, "05-tokens-revoked")
    assert xml(live, tenant, "user.get", tenant.api_key, token)[0] == "0012"

    # Unblocked, the key works again (with a live token); deleted, it is unknown.
    page.click("nav >> text=API keys")
    page.locator("tr", has_text=api_key[:6]).locator("button:has-text('Unblock')").click()
    assert xml(live, tenant, "user.get", api_key, tenant.token)[0] == "ok"
    page.locator("tr", has_text=api_key[:6]).locator("button:has-text('Delete')").click()
    assert page.locator("tr", has_text=api_key[:6]).count() == 0
    assert xml(live, tenant, "user.get", api_key, tenant.token)[0] == "0001"

    page.click("button:has-text('Sign out')")
    assert "You have signed out." in page.locator(".alert").inner_text()
    page.goto(f"{live.base}/account/keys")
    assert page.url.startswith(f"{live.base}/account/sign-in")


def test_token_for_a_new_robot_limited_to_chosen_functions(page: Any, live: Live) -> None:
    tenant = provision(live.server, "robots")
    sign_in_owner(page, live, tenant)
    page.goto(f"{live.base}/account/tokens")
    page.select_option("#user", "new-robot")
    page.fill("#robot_name", "CRM sync")
    page.click("summary:has-text('Choose functions')")
    page.fill("#function-filter", "user.get")
    visible = page.locator("label.fn:visible")
    assert sorted(visible.all_inner_texts()) == ["user.get", "user.getList"]
    page.check("input[value='user.get']")
    assert page.is_checked("input[name='scope'][value='chosen']")  # ticking switched the scope
    shoot(page, "06-tokens-filtered", full_page=False)
    page.fill("#function-filter", "")
    assert page.locator("label.fn:visible").count() == 79
    shoot(page, "06-tokens-all-functions")
    page.click("button:has-text('Create token')")
    token = page.input_value("#new-token")
    assert "limited to 1 function: user.get" in page.locator(".reveal").inner_text()
    assert "robot.crm-sync" in page.locator(".reveal").inner_text()
    assert xml(live, tenant, "user.get", tenant.api_key, token)[0] == "ok"
    assert xml(live, tenant, "user.getList", tenant.api_key, token)[0] == "0020"
    page.goto(f"{live.base}/account/tokens")
    shoot(page, "07-tokens-list")


def test_users_create_deactivate_and_reset_password(page: Any, live: Live) -> None:
    tenant = provision(live.server, "people")
    accept_dialogs(page)
    sign_in_owner(page, live, tenant)
    page.goto(f"{live.base}/account/users")
    page.fill("#new-name", "Anna Petrova")
    page.fill("#new-login", "anna")
    page.fill("#new-email", "anna@example.com")
    page.fill("#new-password-field", "first-pass-1")
    page.click("button:has-text('Add user')")
    assert "User anna created." in page.locator(".alert").inner_text()

    page.fill("#new-name", "Boris")
    page.fill("#new-login", "boris")
    page.select_option("#new-role", "ADMIN")
    page.click("button:has-text('Add user')")
    generated = page.input_value("#new-password")
    shoot(page, "08-users-new-password")
    login = f"<login>boris</login><password>{generated}</password>"
    assert xml(live, tenant, "auth.login", tenant.api_key, inner=login)[0] == "ok"

    row = page.locator("tr", has_text="anna@example.com")
    row.locator("summary:has-text('Reset password')").click()
    row.locator("input[name='password']").fill("second-pass-2")
    row.locator("button:has-text('Set')").click()
    assert "Password of anna changed." in page.locator(".alert").inner_text()
    assert (
        xml(
            live,
            tenant,
            "auth.login",
            tenant.api_key,
            inner="<login>anna</login><password>first-pass-1</password>",
        )[0]
        == "1001"
    )
    login = "<login>anna</login><password>second-pass-2</password>"
    assert xml(live, tenant, "auth.login", tenant.api_key, inner=login)[0] == "ok"

    page.locator("tr", has_text="anna@example.com").locator("button:has-text('Deactivate')").click()
    assert "deactivated" in page.locator(".alert").inner_text()
    assert page.locator("tr", has_text="anna@example.com").locator(".badge.off").inner_text() == "Inactive"
    assert xml(live, tenant, "auth.login", tenant.api_key, inner=login)[0] == "0014"
    # No deactivating oneself (the owner): no button for that row.
    assert (
        page.locator("tr", has_text=tenant.owner_login).locator("button:has-text('Deactivate')").count() == 0
    )
    shoot(page, "09-users")


def test_a_non_administrator_is_refused(page: Any, live: Live) -> None:
    tenant = provision(live.server, "staff")
    add_user(live.server, tenant, "clerk", password="clerk-pass")
    response = sign_in(page, live, tenant.name, "clerk", "clerk-pass")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Administrators only"
    shoot(page, "10-refused-non-admin")
    page.goto(f"{live.base}/account/")
    assert page.url.startswith(f"{live.base}/account/sign-in")  # no session was made


def test_a_forged_form_without_the_csrf_token_is_refused(page: Any, live: Live) -> None:
    tenant = provision(live.server, "forged")
    sign_in_owner(page, live, tenant)
    page.goto(f"{live.base}/account/keys")
    before = page.locator("tbody tr").count()
    with page.expect_response(
        lambda r: r.url.endswith("/account/keys") and r.request.method == "POST"
    ) as info:
        page.evaluate(
            """() => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/account/keys";
                document.body.append(form);
                form.submit();
            }"""
        )
    page.wait_for_load_state()
    assert info.value.status == 403
    assert page.locator("h1").inner_text() == "Form not accepted"
    shoot(page, "11-refused-forged-form")
    page.goto(f"{live.base}/account/keys")
    assert page.locator("tbody tr").count() == before


def test_wrong_passwords_are_throttled(page: Any, live: Live) -> None:
    tenant = provision(live.server, "guarded")
    for _ in range(5):
        response = sign_in(page, live, tenant.name, tenant.owner_login, "not-the-password")
        assert response.status == 401
        assert WRONG in page.locator(".alert").inner_text()
    response = sign_in(page, live, tenant.name, tenant.owner_login, tenant.owner_password)
    assert response.status == 429
    assert "Too many failed sign-ins" in page.locator(".alert").inner_text()
    shoot(page, "12-sign-in-throttled")


def test_free_plan_explains_0022_instead_of_key_forms(page: Any, live: Live) -> None:
    tenant = provision(live.server, "freebie", plan="free")
    sign_in_owner(page, live, tenant)
    assert "0022" in page.locator(".alert.error").inner_text()
    shoot(page, "13-free-account")
    page.goto(f"{live.base}/account/keys")
    assert "not available on the free plan" in page.locator(".alert.error").inner_text()
    assert page.locator("button:has-text('Create API key')").count() == 0
    shoot(page, "14-free-keys")
    page.goto(f"{live.base}/account/tokens")
    assert page.locator("button:has-text('Create token')").count() == 0


@pytest.mark.parametrize("name", ["sign-in", "account", "keys", "tokens", "users"])
def test_phone_sized_screens(browser: Any, live: Live, name: str) -> None:
    tenant = provision(live.server, f"phone-{name}")
    context = browser.new_context(
        ignore_https_errors=True,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
    )
    try:
        page = context.new_page()
        if name == "sign-in":
            page.goto(f"{live.base}/account/sign-in")
        else:
            seed_usage(live, tenant)
            sign_in_owner(page, live, tenant)
            path = {"account": "", "keys": "keys", "tokens": "tokens", "users": "users"}[name]
            page.goto(f"{live.base}/account/{path}")
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, f"20-phone-{name}")
    finally:
        context.close()


def test_the_core_actions_work_without_javascript(browser: Any, live: Live) -> None:
    tenant = provision(live.server, "no-script")
    context = browser.new_context(ignore_https_errors=True, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_owner(page, live, tenant)
        page.goto(f"{live.base}/account/keys")
        page.click("button:has-text('Create API key')")
        api_key = page.input_value("#new-api-key")
        assert not page.locator("button[data-copy]").first.is_visible()  # copy buttons need the script
        page.goto(f"{live.base}/account/tokens")
        assert page.locator("#function-filter").is_hidden()  # so does the filter
        page.click("summary:has-text('Choose functions')")
        page.check("input[name='scope'][value='chosen']")
        page.check("input[value='task.getList']")
        page.click("button:has-text('Create token')")
        token = page.input_value("#new-token")
        assert xml(live, tenant, "user.get", api_key, token)[0] == "0020"
        page.locator("tr", has_text=token[:6]).locator("button:has-text('Revoke')").click()
        assert xml(live, tenant, "user.get", api_key, token)[0] == "0012"
        shoot(page, "15-no-script-tokens")
    finally:
        context.close()
