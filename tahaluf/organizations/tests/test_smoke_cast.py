from tahaluf.test import BaseTestCase


class CastTests(BaseTestCase):
    def test_it_builds_the_cast_through_services(self) -> None:
        response = self.client_for("anonymous").get(f"/organizations/{self.cast.gucc.pk}/")
        self.assertContains(response, "الاتحاد العام للمراكز الثقافية")
        self.assertEqual(self.client_for("badr").get(f"/organizations/{self.cast.maat.pk}/edit/").status_code, 403)
        self.assertEqual(self.client_for("badr").get(f"/organizations/{self.cast.hidden.pk}/").status_code, 404)
