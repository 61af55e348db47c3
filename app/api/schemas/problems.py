"""Problem details (RFC 9457): the body of every error response, and the kinds of problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from app.core.i18n import N_

PROBLEM_MEDIA_TYPE = "application/problem+json"
# RFC 9457: a problem that is nothing more than its HTTP status; the title is the status text.
PLAIN_HTTP = "about:blank"


@dataclass(frozen=True, slots=True)
class ProblemType:
    slug: str
    # Marked for the catalog: a problem's title is translated when it is answered, like its
    # `detail`; what the type means is for developers (the API's docs), in English.
    title: str
    status: int
    meaning: str

    @property
    def uri(self) -> str:
        # A relative reference (RFC 9457 §3.1.1): it identifies the type, and clients compare
        # it as a string rather than fetch it.
        return f"/problems/{self.slug}"


VALIDATION = ProblemType(
    "validation", N_("Invalid request"), 422, "A parameter or the body does not match the schema."
)
INVALID_MATCH_STATS = ProblemType(
    "invalid-match-stats",
    N_("These stats don't add up"),
    422,
    "Match stats break the rules of their mode; `errors` lists every problem.",
)
INVALID_INPUT = ProblemType(
    "invalid-input",
    N_("Invalid value"),
    422,
    "A well-formed value that cannot be used: a stale page cursor, a stat the mode lacks, "
    "server settings out of range.",
)
REFUSED_QUESTION = ProblemType(
    "refused-question", N_("Question refused"), 422, "An /ask question that cannot be answered."
)
BAD_REQUEST = ProblemType(
    "bad-request", N_("Bad request"), 400, "The request cannot be carried out."
)
NOT_FOUND = ProblemType(
    "not-found",
    N_("Not found"),
    404,
    "It does not exist, or you cannot see it (the two are not told apart).",
)
FORBIDDEN = ProblemType(
    "forbidden", N_("Forbidden"), 403, "You can see it but not change it, e.g. another's match."
)
CONFLICT = ProblemType(
    "conflict", N_("Conflict"), 409, "Already done, or not possible in the current state."
)
RATE_LIMITED = ProblemType(
    "rate-limited", N_("Too many requests"), 429, "Slow down; `Retry-After` says for how long."
)
CONTENT_TOO_LARGE = ProblemType(
    "content-too-large",
    N_("Request body too large"),
    413,
    "The body is over the size limit; the server stopped reading it.",
)
HEADERS_TOO_LARGE = ProblemType(
    "headers-too-large",
    N_("Request headers too large"),
    431,
    "Too many request headers, or too large together (cookies included).",
)
AI_UNAVAILABLE = ProblemType(
    "ai-unavailable", N_("AI unavailable"), 503, "The AI could not be reached; try again later."
)
DISCORD_UNAVAILABLE = ProblemType(
    "discord-unavailable",
    N_("Discord unavailable"),
    503,
    "Discord could not be asked (e.g. whether a channel is the server's); try again later.",
)
INTERNAL = ProblemType(
    "internal", N_("Internal server error"), 500, "A fault on our side; it has been logged."
)

PROBLEM_TYPES = (
    VALIDATION,
    INVALID_MATCH_STATS,
    INVALID_INPUT,
    REFUSED_QUESTION,
    BAD_REQUEST,
    NOT_FOUND,
    FORBIDDEN,
    CONFLICT,
    RATE_LIMITED,
    CONTENT_TOO_LARGE,
    HEADERS_TOO_LARGE,
    AI_UNAVAILABLE,
    DISCORD_UNAVAILABLE,
    INTERNAL,
)


def _type_description() -> str:
    lines = [f"- `{t.uri}` ({t.status}): {t.meaning}" for t in PROBLEM_TYPES]
    plain = f"- `{PLAIN_HTTP}`: a plain HTTP error (401, 405, ...); the title is its status text."
    return "What kind of problem this is:\n\n" + "\n".join([*lines, plain])


class FieldProblem(BaseModel):
    """One thing wrong with the request, without the offending value."""

    field: str = Field(description="Where: e.g. `query.limit` or `player.kills`.")
    message: str


class Problem(BaseModel):
    """An error, as `application/problem+json` (RFC 9457)."""

    type: str = Field(default=PLAIN_HTTP, description=_type_description())
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = Field(default=None, description="The path of the failed request.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="For validation problems: every problem found."
    )


STATUS_MEANINGS: dict[int, str] = {
    400: "The request cannot be carried out.",
    401: "Not logged in, or the session expired.",
    403: "Not allowed.",
    404: "Not found, or not visible to you.",
    409: "Conflicts with the current state.",
    422: "Invalid parameters or body.",
    429: "Rate limited; see Retry-After.",
    503: "A dependency (the AI) is unavailable, or the server is busy; see Retry-After.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses, all with a Problem body."""
    return {
        status: {"model": Problem, "description": STATUS_MEANINGS.get(status, "Error.")}
        for status in statuses
    }
