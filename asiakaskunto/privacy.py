"""The organisation core's personal data (see ``privacy.registry``): a salesperson's record,
their account and login records, and every answer given about them.

Erasure deletes the submissions about the person (their answers, and with them the customers'
responses and follow-ups); the person's row stays as an inactive "(erased #id)" with nothing
personal in it, and the account is blanked and closed rather than deleted, so that records other
people made (a checklist's author, a follow-up's handler) keep pointing at a row.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from privacy.registry import register

from .models import Answer, EmailPreference, Profile, Submission

LOGIN_RECORD_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


def login_records_of(username: str):
    """django-axes' records of one username, per model."""
    return [
        (model, model.objects.filter(username__iexact=username)) for model in LOGIN_RECORD_MODELS
    ]


def erase_login_records(username: str) -> int:
    return sum(records.delete()[0] for _model, records in login_records_of(username))


def erase_login_records_before(moment) -> int:
    """Retention: everyone's login records older than ``moment``."""
    return sum(
        model.objects.filter(attempt_time__lt=moment).delete()[0] for model in LOGIN_RECORD_MODELS
    )


def erase_account(user) -> int:
    """Blank the account's personal fields, close it (its sessions end with the password) and
    delete its login records, organisation profile and e-mail settings. Returns the login records deleted."""
    erased = erase_login_records(user.username)
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    Profile.objects.filter(user=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    return erased


def export_profile(salesperson) -> dict:
    user = salesperson.user
    account = None
    login_records = []
    if user is not None:
        profile = getattr(user, "profile", None)
        account = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": profile.role if profile else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        for model, records in login_records_of(user.username):
            login_records.extend(
                {
                    "kind": model._meta.model_name,
                    "at": record.attempt_time.isoformat(),
                    "ip_address": record.ip_address,
                    "user_agent": record.user_agent,
                }
                for record in records.order_by("attempt_time", "id")
            )
    return {
        "name": salesperson.name,
        "team": salesperson.team.name,
        "active": salesperson.active,
        "created_at": salesperson.created_at.isoformat(),
        "account": account,
        "login_records": login_records,
    }


def erase_profile(salesperson) -> int:
    """Last of all the erasures: rename and deactivate the person, unlink and close the account."""
    user = salesperson.user
    salesperson.name = f"(erased #{salesperson.pk})"
    salesperson.active = False
    salesperson.user = None
    salesperson.save(update_fields=["name", "active", "user"])
    return 1 + (erase_account(user) if user is not None else 0)


def export_answers(salesperson) -> list[dict]:
    answers = (
        Answer.objects.for_salesperson(salesperson)
        .select_related("submission", "question")
        .order_by("submission__answered_at", "submission_id", "question__position", "id")
    )
    return [
        {
            "submission": answer.submission_id,
            "answered_at": answer.submission.answered_at.isoformat(),
            "method": answer.method,
            "area": answer.area,
            "question": answer.question.code,
            "value": answer.value,
            "why": answer.why,
        }
        for answer in answers
    ]


def erase_answers(salesperson) -> int:
    """Delete the submissions about the person; returns how many."""
    submissions = Submission.objects.filter(salesperson=salesperson)
    count = submissions.count()
    submissions.delete()
    return count


def apply_retention(organisation, policy, now) -> dict[str, int]:
    """Answers older than the organisation keeps them (if it has set an age)."""
    if policy.answers_before is None:
        return {}
    old = Submission.objects.filter(
        organisation=organisation, answered_at__lt=policy.answers_before
    )
    count = old.count()
    if count:
        old.delete()
    return {"submissions": count}


register("profile", export_person=export_profile, erase_person=erase_profile)
register(
    "answers",
    export_person=export_answers,
    erase_person=erase_answers,
    apply_retention=apply_retention,
)
