from __future__ import annotations

from django.test import Client

from tahaluf.accounts.models import ApiToken, User
from tahaluf.accounts.services import token_authenticate
from tahaluf.test import PASSWORD, BaseTestCase

NEW_PASSWORD = "another-long-passphrase-42"


class UserManagementPageTests(BaseTestCase):
    def test_it_lets_amal_create_an_editor_account(self) -> None:
        response = self.client_for("amal").post(
            "/accounts/users/new/",
            {
                "username": "sami",
                "email": "sami@example.org",
                "role": "editor",
                "organization": self.cast.gucc.pk,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, "/accounts/users/")
        sami = User.objects.get(username="sami")
        self.assertEqual((sami.role, sami.organization), ("editor", self.cast.gucc))
        self.assertTrue(Client().login(username="sami", password=NEW_PASSWORD))

    def test_it_refuses_a_weak_password_and_keeps_the_form(self) -> None:
        response = self.client_for("amal").post(
            "/accounts/users/new/",
            {
                "username": "sami",
                "role": "viewer",
                "password1": "12345",
                "password2": "12345",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="sami"', status_code=400)
        self.assertFalse(User.objects.filter(username="sami").exists())

    def test_it_refuses_an_editor_without_organization(self) -> None:
        response = self.client_for("amal").post(
            "/accounts/users/new/",
            {
                "username": "sami",
                "role": "editor",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(User.objects.filter(username="sami").exists())

    def test_it_deactivates_and_signs_out_everywhere_then_reactivates(self) -> None:
        badr_browser = self.client_for("badr")
        self.assertEqual(badr_browser.get("/accounts/me/").status_code, 200)
        key = self.token_for("badr")
        self.client_for("amal").post(
            f"/accounts/users/{self.cast.badr.pk}/active/", {"active": "0"}
        )
        self.assertEqual(badr_browser.get("/accounts/me/").status_code, 302)
        self.assertIsNone(token_authenticate(key))
        self.client_for("amal").post(
            f"/accounts/users/{self.cast.badr.pk}/active/", {"active": "1"}
        )
        self.assertTrue(Client().login(username="badr", password=PASSWORD))

    def test_it_keeps_user_management_to_the_secretariat(self) -> None:
        for who in ("badr", "carim", "dina"):
            client = self.client_for(who)
            self.assertEqual(client.get("/accounts/users/").status_code, 403)
            self.assertEqual(
                client.post(
                    f"/accounts/users/{self.cast.amal.pk}/active/", {"active": "0"}
                ).status_code,
                403,
            )
        self.cast.amal.refresh_from_db()
        self.assertTrue(self.cast.amal.is_active)

    def test_it_does_not_let_amal_lock_herself_out(self) -> None:
        self.client_for("amal").post(
            f"/accounts/users/{self.cast.amal.pk}/active/", {"active": "0"}
        )
        self.cast.amal.refresh_from_db()
        self.assertTrue(self.cast.amal.is_active)


class OwnAccountPageTests(BaseTestCase):
    def test_it_makes_a_token_shown_once_and_revokes_it(self) -> None:
        client = self.client_for("dina")
        response = client.post("/accounts/me/", {"token-name": "my script"})
        key = response.context["new_key"]
        self.assertContains(response, key)
        self.assertEqual(token_authenticate(key), self.cast.dina)
        self.assertNotContains(client.get("/accounts/me/"), key)
        token = ApiToken.objects.get(user=self.cast.dina)
        client.post(f"/accounts/me/tokens/{token.pk}/revoke/")
        self.assertIsNone(token_authenticate(key))

    def test_it_does_not_let_one_user_revoke_anothers_token(self) -> None:
        key = self.token_for("badr")
        token = ApiToken.objects.get(user=self.cast.badr)
        response = self.client_for("carim").post(f"/accounts/me/tokens/{token.pk}/revoke/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(token_authenticate(key), self.cast.badr)

    def test_it_changes_the_password_keeping_this_session(self) -> None:
        client = self.client_for("dina")
        response = client.post(
            "/accounts/me/",
            {
                "password-old_password": PASSWORD,
                "password-new_password1": NEW_PASSWORD,
                "password-new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, "/accounts/me/")
        self.assertEqual(client.get("/accounts/me/").status_code, 200)
        self.assertTrue(Client().login(username="dina", password=NEW_PASSWORD))

    def test_it_refuses_a_wrong_current_password(self) -> None:
        response = self.client_for("dina").post(
            "/accounts/me/",
            {
                "password-old_password": "nope",
                "password-new_password1": NEW_PASSWORD,
                "password-new_password2": NEW_PASSWORD,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(Client().login(username="dina", password=PASSWORD))
