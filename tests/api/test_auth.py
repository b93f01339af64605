"""Sign-up, bearer tokens, rate limits and problem answers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from factories import PASSWORD
from mutual.accounts.backends import SIGN_IN_REFUSED
from mutual.accounts.models import ApiToken, Person

from .conftest import ApiClient


def _follow_the_mailed_link(api: ApiClient) -> None:
    """What the person does with the mail sign-up sends: open the link and confirm (on the
    same in-process server, so the test's database connection stays open)."""
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert link is not None, message.body
    page = api.client.get(link.group(1)).get_data(as_text=True)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    confirmed = api.client.post(link.group(1), data={"csrfmiddlewaretoken": csrf.group(1)})
    assert confirmed.status_code == 302


def test_signup_creates_an_account_that_can_get_a_token_once_confirmed(api: ApiClient) -> None:
    answer = api.post("/auth/signup", {"email": "Alice@Example.org", "password": PASSWORD})
    assert answer.status == 201
    assert "Check your email" in answer.detail
    assert Person.objects.filter(email="alice@example.org").exists()
    credentials = {"email": "alice@example.org", "password": PASSWORD}
    unconfirmed = api.post("/auth/tokens", credentials)
    assert unconfirmed.status == 401
    assert unconfirmed.detail == SIGN_IN_REFUSED
    _follow_the_mailed_link(api)
    token = api.post(
        "/auth/tokens",
        {"email": "alice@example.org", "password": PASSWORD, "label": "laptop"},
    )
    assert token.status == 201
    assert token.body["token"].startswith("mut_")
    assert token.body["label"] == "laptop"
    me = api.get("/me", token=token.body["token"])
    assert me.status == 200
    assert me.body["email"] == "alice@example.org"


def test_signup_applies_the_password_validators(api: ApiClient) -> None:
    answer = api.post("/auth/signup", {"email": "alice@example.org", "password": "short"})
    assert answer.status == 422
    assert "at least 12 characters" in answer.detail
    assert not Person.objects.filter(email="alice@example.org").exists()


def test_signup_refuses_a_malformed_address(api: ApiClient) -> None:
    answer = api.post("/auth/signup", {"email": "not an address", "password": PASSWORD})
    assert answer.status == 422
    assert Person.objects.count() == 0


def test_signup_for_a_taken_address_answers_the_same_and_changes_nothing(
    api: ApiClient, alice: Person
) -> None:
    before = alice.password
    answer = api.post(
        "/auth/signup", {"email": "alice@example.org", "password": "another-long-passphrase"}
    )
    assert answer.status == 201
    alice.refresh_from_db()
    assert alice.password == before
    assert Person.objects.count() == 1


def test_token_is_stored_only_as_a_hash(api: ApiClient, alice: Person) -> None:
    answer = api.post("/auth/tokens", {"email": "alice@example.org", "password": PASSWORD})
    secret = answer.body["token"]
    stored = ApiToken.objects.get(pk=answer.body["id"])
    assert stored.token_hash != secret
    assert secret not in stored.token_hash
    assert stored.prefix == secret[:12]


@pytest.mark.parametrize(
    ("email", "password"),
    [("alice@example.org", "wrong-password-entirely"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_credentials_get_one_message(
    api: ApiClient, alice: Person, email: str, password: str
) -> None:
    answer = api.post("/auth/tokens", {"email": email, "password": password})
    assert answer.status == 401
    assert answer.detail == SIGN_IN_REFUSED
    assert ApiToken.objects.count() == 0


def test_a_person_with_totp_needs_a_valid_code(
    api: ApiClient, alice: Person, settings: object
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # type: ignore[attr-defined]
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(alice, secret)
    credentials = {"email": "alice@example.org", "password": PASSWORD}
    missing = api.post("/auth/tokens", credentials)
    assert missing.status == 401
    assert "two-factor" in missing.detail
    wrong = api.post("/auth/tokens", {**credentials, "totp": "000000"})
    assert wrong.status == 401
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    right = api.post("/auth/tokens", {**credentials, "totp": code})
    assert right.status == 201
    replay = api.post("/auth/tokens", {**credentials, "totp": code})
    assert replay.status == 401, "a TOTP code works once"


def test_no_token_answers_401_problem(api: ApiClient) -> None:
    answer = api.get("/me")
    assert answer.status == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.body["status"] == 401
    assert answer.body["title"] == "Unauthorized"
    assert answer.body["type"].startswith("https://")


def test_tokens_list_shows_last_use_and_revocation_works(
    as_alice: ApiClient, as_bob: ApiClient
) -> None:
    listed = as_alice.get("/auth/tokens")
    assert listed.status == 200
    assert len(listed.body["items"]) == 1
    assert listed.body["items"][0]["last_used_at"] is not None
    token_id = listed.body["items"][0]["id"]
    assert as_bob.delete(f"/auth/tokens/{token_id}").status == 404, "not Bob's to revoke"
    assert as_alice.get("/me").status == 200
    assert as_alice.delete(f"/auth/tokens/{token_id}").status == 204
    assert as_alice.get("/me").status == 401


def test_token_list_is_cursor_paginated(api: ApiClient, alice: Person) -> None:
    from .conftest import token_for

    secret = token_for(alice)
    for _ in range(4):
        token_for(alice)
    seen: list[str] = []
    cursor = None
    while True:
        page = api.get("/auth/tokens", token=secret, limit=2, cursor=cursor)
        assert page.status == 200
        assert len(page.body["items"]) <= 2
        seen += [t["id"] for t in page.body["items"]]
        cursor = page.body["next"]
        if cursor is None:
            break
    assert len(seen) == 5 == len(set(seen))


def test_a_bad_cursor_is_a_clear_422(as_alice: ApiClient) -> None:
    answer = as_alice.get("/auth/tokens", cursor="not-a-cursor")
    assert answer.status == 422
    assert "cursor" in answer.detail


def test_each_token_is_rate_limited(as_alice: ApiClient, settings: object) -> None:
    settings.MUTUAL_API_RATE_TOKEN = (3, 60)  # type: ignore[attr-defined]
    for _ in range(3):
        assert as_alice.get("/me").status == 200
    limited = as_alice.get("/me")
    assert limited.status == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "Too many requests" in limited.detail


def test_token_requests_are_rate_limited_per_address(api: ApiClient, settings: object) -> None:
    settings.MUTUAL_API_RATE_AUTH = (2, 600)  # type: ignore[attr-defined]
    body = {"email": "nobody@example.org", "password": "wrong-password-entirely"}
    assert api.post("/auth/tokens", body).status == 401
    assert api.post("/auth/tokens", body).status == 401
    assert api.post("/auth/tokens", body).status == 429


def test_invalid_body_is_a_422_problem_with_fields(api: ApiClient) -> None:
    answer = api.post("/auth/tokens", {"email": "alice@example.org"})
    assert answer.status == 422
    assert answer.body["errors"][0]["location"][-1] == "password"


def test_me_export_and_delete_need_a_fresh_token(api: ApiClient, alice: Person) -> None:
    from .conftest import token_for

    secret = token_for(alice)
    ApiToken.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    answer = api.delete("/me", token=secret)
    assert answer.status == 403
    assert "fresh sign-in" in answer.detail
    assert Person.objects.filter(pk=alice.pk).exists()


def test_export_holds_what_the_person_wrote(as_alice: ApiClient) -> None:
    answer = as_alice.get("/me/export")
    assert answer.status == 200
    assert answer.body["person"]["email"] == "alice@example.org"


def test_delete_me_removes_the_account_and_its_tokens(as_alice: ApiClient) -> None:
    assert as_alice.delete("/me").status == 204
    assert not Person.objects.filter(email="alice@example.org").exists()
    assert ApiToken.objects.count() == 0
    assert as_alice.get("/me").status == 401


def test_tokens_and_exports_appear_in_the_persons_own_security_log(
    api: ApiClient, alice: Person
) -> None:
    from mutual.accounts.models import SecurityEvent

    created = api.post("/auth/tokens", {"email": "alice@example.org", "password": PASSWORD})
    secret = created.body["token"]
    api.get("/me/export", token=secret)
    api.delete(f"/auth/tokens/{created.body['id']}", token=secret)
    kinds = list(
        SecurityEvent.objects.filter(person=alice).order_by("at").values_list("kind", flat=True)
    )
    assert kinds == ["api_token_created", "export", "api_token_revoked"]


def test_failed_sign_ins_limit_the_account_for_one_window_only(
    api: ApiClient, alice: Person, settings: object
) -> None:
    settings.MUTUAL_API_RATE_AUTH = (2, 600)  # type: ignore[attr-defined]
    wrong = {"email": "alice@example.org", "password": "a wrong guess entirely"}
    right = {"email": "alice@example.org", "password": PASSWORD}
    api.address = "192.0.2.1"
    assert api.post("/auth/tokens", wrong).status == 401
    api.address = "192.0.2.2"
    assert api.post("/auth/tokens", wrong).status == 401
    api.address = "192.0.2.3"
    limited = api.post("/auth/tokens", right)
    assert limited.status == 429
    assert int(limited.headers["Retry-After"]) <= 600


def test_successful_sign_ins_do_not_use_up_the_accounts_window(
    api: ApiClient, alice: Person, settings: object
) -> None:
    settings.MUTUAL_API_RATE_AUTH = (2, 600)  # type: ignore[attr-defined]
    right = {"email": "alice@example.org", "password": PASSWORD}
    for number in range(3):
        api.address = f"192.0.2.{number + 1}"
        assert api.post("/auth/tokens", right).status == 201


def test_f4_a_partners_failures_do_not_stop_alices_own_client(
    api: ApiClient, alice: Person, settings: object
) -> None:
    """Bob, on the same home network, fails again and again with Alice's address; her own
    script, which got a token before and keeps its cookies, still gets a new one."""
    settings.MUTUAL_API_RATE_AUTH = (3, 600)  # type: ignore[attr-defined]
    right = {"email": "alice@example.org", "password": PASSWORD}
    wrong = {"email": "alice@example.org", "password": "a wrong guess entirely"}
    alices = api.as_(None)
    assert alices.post("/auth/tokens", right).status == 201
    partner = api.as_(None)
    for _ in range(30):
        partner.post("/auth/tokens", wrong)
    assert partner.post("/auth/tokens", right).status == 429, "Bob is limited"
    assert alices.post("/auth/tokens", right).status == 201


def test_f4_a_trusted_client_has_a_failure_limit_of_its_own(
    api: ApiClient, alice: Person, settings: object
) -> None:
    """The mark buys a limit of its own, never access: wrong passwords from Alice's own
    client use up that limit like any other."""
    settings.MUTUAL_API_RATE_AUTH = (3, 600)  # type: ignore[attr-defined]
    right = {"email": "alice@example.org", "password": PASSWORD}
    wrong = {"email": "alice@example.org", "password": "a wrong guess entirely"}
    alices = api.as_(None)
    assert alices.post("/auth/tokens", right).status == 201
    for _ in range(3):
        assert alices.post("/auth/tokens", wrong).status == 401
    assert alices.post("/auth/tokens", right).status == 429
