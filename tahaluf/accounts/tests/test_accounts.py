from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from tahaluf.accounts.models import Role
from tahaluf.accounts.services import (
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
    user_deactivate,
)
from tahaluf.test import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def login(self, client: Client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
        return client.post(
            "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_it_signs_in_and_rotates_the_session_key(self) -> None:
        client = Client()
        client.get("/")
        client.session.save()
        before = client.session.session_key
        response = self.login(client, "amal", PASSWORD)
        self.assertRedirects(response, "/")
        self.assertNotEqual(client.session.session_key, before)
        self.assertEqual(client.session["_auth_user_id"], str(self.cast.amal.pk))

    def test_it_throttles_after_five_failures_for_a_username(self) -> None:
        client = Client()
        client.cookies["tahaluf_language"] = "en"
        for attempt in range(5):
            response = self.login(client, "badr", "wrong-password", address=f"10.0.1.{attempt}")
            self.assertContains(response, "wrong", status_code=400)
        # The sixth try is refused even with the right password, from another address.
        response = self.login(client, "badr", PASSWORD, address="10.9.9.9")
        self.assertContains(response, "Too many failed sign-in attempts", status_code=400)
        self.assertNotIn("_auth_user_id", client.session)
        # Other users are not affected.
        self.assertEqual(self.login(Client(), "carim", PASSWORD).status_code, 302)

    @override_settings(TAHALUF_LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    def test_it_throttles_one_address_guessing_many_usernames(self) -> None:
        for name in ("a1", "a2", "a3"):
            self.login(Client(), name, "x", address="10.2.2.2")
        response = self.login(Client(), "amal", PASSWORD, address="10.2.2.2")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            self.login(Client(), "amal", PASSWORD, address="10.3.3.3").status_code, 302
        )

    def test_it_does_not_redirect_to_another_site_after_sign_in(self) -> None:
        response = Client().post(
            "/accounts/login/?next=https://evil.example/",
            {"username": "amal", "password": PASSWORD},
        )
        self.assertRedirects(response, "/")

    def test_it_signs_out_only_by_post(self) -> None:
        client = self.client_for("amal")
        self.assertEqual(client.get("/accounts/logout/").status_code, 405)
        client.post("/accounts/logout/")
        self.assertNotIn("_auth_user_id", client.session)


class UserTests(BaseTestCase):
    def test_it_enforces_password_rules(self) -> None:
        for weak in ("short", "1234567890123", "password123"):
            with self.assertRaises(ValidationError):
                user_create(actor=None, username=f"u{len(weak)}", password=weak)

    def test_it_requires_an_organization_for_an_editor(self) -> None:
        with self.assertRaises(ValidationError):
            user_create(actor=None, username="ed", password=PASSWORD, role=Role.EDITOR)

    def test_it_signs_a_deactivated_user_out_everywhere(self) -> None:
        browser = Client()
        browser.post("/accounts/login/", {"username": "badr", "password": PASSWORD})
        _token, key = token_create(actor=None, user=self.cast.badr)
        self.assertEqual(token_authenticate(key), self.cast.badr)
        user_deactivate(actor=self.cast.amal, user=self.cast.badr)
        self.assertIsNone(token_authenticate(key))
        self.assertFalse(
            any(
                s.get_decoded().get("_auth_user_id") == str(self.cast.badr.pk)
                for s in Session.objects.all()
            )
        )
        response = browser.get(f"/organizations/{self.cast.gucc.pk}/edit/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Client()
            .post("/accounts/login/", {"username": "badr", "password": PASSWORD})
            .status_code,
            400,
        )


class TokenTests(BaseTestCase):
    def test_it_stores_only_a_hash_and_can_be_revoked(self) -> None:
        token, key = token_create(actor=None, user=self.cast.amal, name="script")
        self.assertNotIn(key, token.key_hash)
        self.assertEqual(token_authenticate(key), self.cast.amal)
        self.assertIsNone(token_authenticate(key + "x"))
        token_revoke(actor=None, token=token)
        self.assertIsNone(token_authenticate(key))
