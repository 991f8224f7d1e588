"""Checking answers to a category's extra questions against their datatypes."""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civicline.directory.models import Category, Question

ANSWER_MAX = 4000
# Open311's form fields: attribute[CODE] for one value, attribute[CODE][] for several.
FIELD = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def answers_from_form(data) -> dict[str, list[str]]:
    """The answers in a submitted form (a QueryDict), by question code."""
    found: dict[str, list[str]] = {}
    for name in data:
        match = FIELD.match(name)
        if match:
            found.setdefault(match.group(1), []).extend(data.getlist(name))
    return found


def _check(question: Question, values: list[str], keys: set[str]) -> str:
    kind = question.datatype
    if kind == Question.Datatype.MULTI:
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise ValueError(_("not one of the listed values"))
        return ",".join(values)
    if len(values) > 1:
        raise ValueError(_("takes one value"))
    value = values[0]
    if kind == Question.Datatype.SINGLE and value not in keys:
        raise ValueError(_("not one of the listed values"))
    if kind == Question.Datatype.NUMBER:
        try:
            Decimal(value)
        except InvalidOperation:
            raise ValueError(_("not a number")) from None
    if kind == Question.Datatype.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if not isinstance(moment, datetime):
            raise ValueError(_("not a date and time"))
    if len(value) > ANSWER_MAX:
        raise ValueError(_("too long"))
    return value


def answers_clean(category: Category, raw: dict[str, list[str]]) -> dict[Question, str]:
    """The answers by question, checked; all problems at once as a ValidationError keyed by
    the question's code."""
    questions = list(category.questions.prefetch_related("choices"))
    by_code = {q.code: q for q in questions}
    problems: dict[str, str] = {}
    for code in raw:
        if code not in by_code:
            problems[code] = _("“%(code)s” is not a question of this category.") % {"code": code}
    answers: dict[Question, str] = {}
    for question in questions:
        values = [v.strip() for v in raw.get(question.code, []) if v.strip()]
        if not values:
            if question.required:
                problems[question.code] = _("“%(code)s” needs an answer.") % {"code": question.code}
            continue
        try:
            answers[question] = _check(question, values, {c.key for c in question.choices.all()})
        except ValueError as reason:
            problems[question.code] = _("“%(code)s”: %(reason)s.") % {
                "code": question.code,
                "reason": reason,
            }
    if problems:
        raise ValidationError(problems)
    return answers
