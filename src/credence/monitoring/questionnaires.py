"""The standard questionnaires, in our words. Scale questions are answered 1 (strongly disagree) to 5
(strongly agree); the learner questionnaire follows the learner-experience criteria of the frameworks
(an engaging experience, a better profile and qualification, satisfaction, better performance at work)
and adds workload and support."""

from __future__ import annotations

from dataclasses import dataclass

SCALE = "scale"
CHOICE = "choice"
TEXT = "text"
SCALE_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    type: str = SCALE
    choices: tuple[tuple[str, str], ...] = ()


QUESTIONNAIRES: dict[str, tuple[Question, ...]] = {
    "learner": (
        Question("engaging", "The learning experience kept me engaged."),
        Question("profile", "The micro-credential improved my profile and qualifications."),
        Question("performance", "I can do my work better because of what I learned."),
        Question("workload", "The workload matched what was announced."),
        Question("support", "I got the support I needed when I needed it."),
        Question("satisfaction", "Overall, I am satisfied with this micro-credential."),
        Question("comment", "Anything else you want to tell us?", TEXT),
    ),
    "employer": (
        Question("relevance", "What the micro-credential teaches is relevant to our work."),
        Question("graduate_performance", "People who completed it perform better in their role."),
        Question("satisfaction", "Overall, we are satisfied with this micro-credential."),
        Question("comment", "Anything else you want to tell us?", TEXT),
    ),
    "graduate": (
        Question(
            "situation",
            "Since completing the micro-credential, which is true for you?",
            CHOICE,
            (
                ("employed_new", "I started a new job"),
                ("promoted", "I was promoted or took on new responsibilities"),
                ("further_study", "I went on to further study"),
                ("unchanged", "Nothing has changed yet"),
                ("not_working", "I am not working or studying"),
            ),
        ),
        Question("relevance", "What I learned is useful in what I do now."),
        Question("comment", "Anything else you want to tell us?", TEXT),
    ),
}

# A graduate outcome counts as positive when the person found work, was promoted or studies further.
POSITIVE_OUTCOMES = frozenset({"employed_new", "promoted", "further_study"})


def questions(kind: str) -> tuple[Question, ...]:
    return QUESTIONNAIRES[kind]
