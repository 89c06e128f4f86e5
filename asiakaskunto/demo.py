"""A realistic demo organisation: three teams, 25 salespeople, managers, leadership and an admin."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Level, Organisation, Profile, Role, Salesperson, Team

DEMO_PASSWORD = "asiakaskunto-demo"
ORGANISATION_NAME = "Kodin Kauppa Oy"

TEAMS = [
    ("Helsinki Kamppi", "esimies1", "Sanna", "Virtanen"),
    ("Tampere Koskikeskus", "esimies2", "Mikko", "Korhonen"),
    ("Turku Hansa", "esimies3", "Laura", "Mäkinen"),
]

FIRST_NAMES = [
    "Aino", "Eino", "Helmi", "Väinö", "Ella", "Onni", "Sofia", "Leo", "Olivia", "Elias",
    "Aada", "Oliver", "Lilja", "Eetu", "Venla", "Niilo", "Iida", "Toivo", "Emma", "Veeti",
    "Kerttu", "Lauri", "Pihla", "Joonas", "Siiri",
]  # fmt: skip
LAST_NAMES = [
    "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen",
    "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä",
    "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen",
    "Jokinen", "Mattila", "Savolainen",
]  # fmt: skip
TEAM_SIZES = [9, 8, 8]


def _user(username, first_name, last_name, *, staff=False, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not user.email and not superuser:
        # An address on a reserved domain: the e-mails (alerts, digests) show on the console.
        # The admin keeps none: it runs the site and reads no digests.
        user.email = f"{username}@asiakaskunto.example"
        user.save(update_fields=["email"])
    return user


DEMO_IN_USE = ["OBS10", "OBS13", "MYS10", "MYS13", "CUS13", "CUS14"]


@transaction.atomic
def seed_organisation() -> tuple[Organisation, list[tuple[str, str]]]:
    """Create (or find) the demo organisation; returns it and the logins as (username, role)."""
    organisation, _ = Organisation.objects.get_or_create(
        name=ORGANISATION_NAME, defaults={"target_level": Level.ERINOMAINEN}
    )
    logins = []
    leader = _user("johto", "Johanna", "Lindholm")
    Profile.objects.get_or_create(
        user=leader, defaults={"organisation": organisation, "role": Role.LEADERSHIP}
    )
    logins.append(("johto", "leadership / johto"))
    admin = _user("admin", "Ylläpito", "", staff=True, superuser=True)
    Profile.objects.get_or_create(
        user=admin, defaults={"organisation": organisation, "role": Role.LEADERSHIP}
    )
    logins.append(("admin", "admin (Django admin)"))

    person_index = 0
    for (team_name, manager_username, first, last), size in zip(TEAMS, TEAM_SIZES, strict=True):
        team, _ = Team.objects.get_or_create(organisation=organisation, name=team_name)
        manager = _user(manager_username, first, last)
        Profile.objects.get_or_create(
            user=manager, defaults={"organisation": organisation, "role": Role.MANAGER}
        )
        team.managers.add(manager)
        logins.append((manager_username, f"manager / esimies: {team_name}"))
        for position in range(size):
            name = f"{FIRST_NAMES[person_index]} {LAST_NAMES[person_index]}"
            person_index += 1
            salesperson, _ = Salesperson.objects.get_or_create(
                organisation=organisation, name=name, defaults={"team": team}
            )
            if position == 0:  # one salesperson per team can log in to see their own page
                username = (
                    f"myyja{len([login for login in logins if login[0].startswith('myyja')]) + 1}"
                )
                user = _user(username, *name.split(" ", 1))
                Profile.objects.get_or_create(
                    user=user, defaults={"organisation": organisation, "role": Role.SALESPERSON}
                )
                if salesperson.user_id is None:
                    salesperson.user = user
                    salesperson.save(update_fields=["user"])
                logins.append((username, f"salesperson / myyjä: {name}, {team_name}"))
    # The demo's leadership has taken some of the richer bank into use: the knowledge of the
    # customer for every method, greeting on the checklist and exceeded expectations in the
    # survey (the apps' demo answers then include them).
    organisation.questions.filter(code__in=DEMO_IN_USE, replaced_by__isnull=True).update(
        active=True
    )
    return organisation, logins
