"""The named cast of every test, built through the real services.

- amal: secretariat
- badr: member editor for the General Union of Cultural Centers (GUCC)
- carim: member editor for Maat, must never touch badr's organization
- dina: a plain signed-in viewer
- anonymous: the public
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client, TestCase

from tahaluf.accounts.models import Role, User
from tahaluf.accounts.services import token_create, user_create
from tahaluf.organizations import services
from tahaluf.organizations.models import Organization, Person

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Cast:
    amal: User
    badr: User
    carim: User
    dina: User
    gucc: Organization
    maat: Organization
    hidden: Organization
    yousri: Person
    ayman: Person

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def make_cast() -> Cast:
    amal = user_create(actor=None, username="amal", password=PASSWORD, role=Role.SECRETARIAT)
    gucc = services.organization_create(
        actor=amal,
        data={
            "name_ar": "الاتحاد العام للمراكز الثقافية",
            "name_en": "General Union of Cultural Centers",
            "kind": "union",
            "country": "PS",
            "city": "غزة",
            "founded_year": 1997,
            "member_count": 55,
            "partner_count": 120,
            "partner_count_at_least": True,
            "external_id": "cast-gucc",
        },
        is_published=True,
    )
    maat = services.organization_create(
        actor=amal,
        data={
            "name_ar": "مؤسسة ماعت للسلام والتنمية وحقوق الإنسان",
            "name_en": "Maat Foundation for Peace, Development and Human Rights",
            "acronym": "Maat",
            "kind": "ngo",
            "country": "EG",
            "external_id": "cast-maat",
        },
        is_published=True,
    )
    hidden = services.organization_create(
        actor=amal,
        data={
            "name_ar": "منظمة غير منشورة",
            "name_en": "Unpublished Organization",
            "kind": "ngo",
            "country": "JO",
            "external_id": "cast-hidden",
        },
    )
    badr = user_create(
        actor=amal, username="badr", password=PASSWORD, role=Role.EDITOR, organization=gucc
    )
    carim = user_create(
        actor=amal, username="carim", password=PASSWORD, role=Role.EDITOR, organization=maat
    )
    dina = user_create(actor=amal, username="dina", password=PASSWORD, role=Role.VIEWER)
    yousri = services.person_create(
        actor=amal, data={"name_ar": "يسري درويش", "name_en": "Yousri Darwish"}, is_published=True
    )
    ayman = services.person_create(
        actor=amal, data={"name_ar": "أيمن عقيل", "name_en": "Ayman Okeil"}, is_published=True
    )
    services.position_create(
        actor=amal,
        person=yousri,
        organization=gucc,
        data={"title_ar": "رئيس", "title_en": "President"},
    )
    services.position_create(
        actor=amal,
        person=ayman,
        organization=maat,
        data={"title_ar": "رئيس", "title_en": "President"},
    )
    return Cast(
        amal=amal,
        badr=badr,
        carim=carim,
        dina=dina,
        gucc=gucc,
        maat=maat,
        hidden=hidden,
        yousri=yousri,
        ayman=ayman,
    )


class BaseTestCase(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def client_for(self, name: str) -> Client:
        client = Client()
        user = self.cast.user(name)
        if user is not None:
            client.force_login(user)
        return client

    def token_for(self, name: str) -> str:
        _token, key = token_create(actor=None, user=getattr(self.cast, name))
        return key

    def api(self, name: str) -> Any:
        """A client that sends a bearer token for `name` (or nothing for anonymous)."""
        headers = {} if name == "anonymous" else {"Authorization": f"Bearer {self.token_for(name)}"}
        return Client(headers=headers)
