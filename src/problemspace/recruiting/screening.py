"""Scoring screener answers against the qualifying answers.

A candidate is screened in when every question that has qualifying answers is answered with
one of them (a single choice that is one, a multiple choice that includes one, free text
that contains one, ignoring case), and their segment is one the campaign targets. Questions
without qualifying answers only gather information. Quotas are applied afterwards, by the
sign-up, under the campaign's lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from problemspace.recruiting.models import QuestionKind, ScreenerQuestion

MAX_TEXT_ANSWER = 2000

Answer = str | list[str]


def answer_key(question: ScreenerQuestion) -> str:
    return f"q{question.pk}"


def qualifies(question: ScreenerQuestion, answer: Answer) -> bool:
    qualifying = [str(value) for value in question.qualifying]
    if not qualifying:
        return True
    if question.kind == QuestionKind.MULTI:
        chosen = answer if isinstance(answer, list) else [answer]
        return any(value in qualifying for value in chosen)
    if question.kind == QuestionKind.TEXT:
        text = str(answer).casefold()
        return any(value.casefold() in text for value in qualifying if value.strip())
    return answer in qualifying


def check_answers(
    questions: Iterable[ScreenerQuestion], raw: Mapping[str, Answer]
) -> tuple[dict[str, Answer], dict[str, str]]:
    """The answers in the shape stored, and a message per question answered wrongly.

    Every question must be answered; choices must be among those offered (a tampered form
    cannot slip in a qualifying value the page never showed).
    """
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for question in questions:
        key = answer_key(question)
        value = raw.get(key, [] if question.kind == QuestionKind.MULTI else "")
        if question.kind == QuestionKind.MULTI:
            chosen = [str(v) for v in (value if isinstance(value, list) else [value]) if v]
            if not chosen:
                errors[key] = "Choose at least one answer."
            elif any(v not in question.choices for v in chosen):
                errors[key] = "Choose among the answers listed."
            answers[key] = chosen
        elif question.kind == QuestionKind.SINGLE:
            text = str(value)
            if not text:
                errors[key] = "Choose an answer."
            elif text not in question.choices:
                errors[key] = "Choose one of the answers listed."
            answers[key] = text
        else:
            text = str(value).strip()
            if not text:
                errors[key] = "Please answer this question."
            elif len(text) > MAX_TEXT_ANSWER:
                errors[key] = f"Keep the answer under {MAX_TEXT_ANSWER:,} characters."
            answers[key] = text
    return answers, errors


@dataclass(frozen=True)
class Verdict:
    screened_in: bool
    passed: int
    scored: int
    note: str


def screen(
    questions: Iterable[ScreenerQuestion],
    answers: Mapping[str, Answer],
    *,
    segment: str,
    targets: list[str],
) -> Verdict:
    scored = [q for q in questions if q.qualifying]
    failed = [q for q in scored if not qualifies(q, answers.get(answer_key(q), ""))]
    passed = len(scored) - len(failed)
    if targets and segment not in targets:
        note = f"segment {segment or 'unknown'} is not a target of this campaign"
        return Verdict(False, passed, len(scored), note)
    if failed:
        note = "did not qualify on: " + "; ".join(q.text[:60] for q in failed)
        return Verdict(False, passed, len(scored), note[:300])
    return Verdict(True, passed, len(scored), f"qualified on {passed} of {len(scored)}")
