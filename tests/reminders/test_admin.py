"""Staff: the named days, the letter, the counts page; the demo's Giving Tuesday."""

from datetime import date

import pytest

from reminders import demo
from reminders.models import ReminderDate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_giving_tuesday_is_the_tuesday_after_the_fourth_thursday_of_november():
    assert demo.giving_tuesday(2025) == date(2025, 12, 2)
    assert demo.giving_tuesday(2026) == date(2026, 12, 1)
    assert demo.giving_tuesday(2027) == date(2027, 11, 30)


def test_the_demo_offers_the_next_giving_tuesday_once_in_each_edition():
    demo.load()
    demo.load()
    assert sorted(ReminderDate.objects.values_list("language", "label", "date")) == [
        ("en", "Giving Tuesday", date(2026, 12, 1)),
        ("ru", "Щедрый вторник", date(2026, 12, 1)),
    ]


def test_each_edition_offers_the_day_by_its_own_name(client, settings):
    """Russian readers know it as «Щедрый вторник»: /ru/reminders/new/ names it so, and
    the English form does not."""
    demo.load()
    russian = client.get("/ru/reminders/new/").content.decode()
    english = client.get("/reminders/new/").content.decode()
    assert "Щедрый вторник" in russian and "Giving Tuesday" not in russian
    assert "Giving Tuesday" in english and "Щедрый вторник" not in english


def test_staff_can_list_and_add_named_days(admin_client):
    response = admin_client.post(
        "/admin/snippets/reminders/reminderdate/add/",
        {"label": "End of year", "date": "2026-12-28"},
    )
    assert response.status_code == 302
    assert ReminderDate.objects.get().label == "End of year"
    assert (
        "End of year"
        in admin_client.get("/admin/snippets/reminders/reminderdate/").content.decode()
    )


def test_staff_can_open_the_letter_setting(admin_client):
    response = admin_client.get("/admin/settings/reminders/remindersettings/")
    assert response.status_code in (200, 302)
