"""Untrusted text in and out of /ask: the user's question and the AI's sentence."""

from __future__ import annotations

import unicodedata

from app.core.ask.errors import InvalidQuestion

MAX_QUESTION = 300
MAX_SENTENCE = 400
MAX_TITLE = 100


def clean_question(text: str) -> str:
    """The question on one line without control characters; InvalidQuestion if empty or long.

    This is hygiene for the prompt and the logs, not a defence: the guard is the defence.
    """
    question = _one_line(text)
    if not 1 <= len(question) <= MAX_QUESTION:
        raise InvalidQuestion
    return question


def clean_sentence(text: str) -> str:
    """The AI's answer sentence on one line, cut to a length an embed can always hold."""
    sentence = _one_line(text)
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    return sentence[: MAX_SENTENCE - 1].rstrip() + "…"


def clean_title(text: str, question: str) -> str:
    """The AI's title for the table on one line (an embed title); the question if it is blank."""
    title = _one_line(text)[:MAX_TITLE].rstrip()
    return title or question[:MAX_TITLE].rstrip()


def _one_line(text: str) -> str:
    visible = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(visible.split())
