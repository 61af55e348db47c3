"""Bodies shaped like the ones the Gemini API sends back."""

from __future__ import annotations

from devtools.gemini_stub.prompt import JsonObject
from devtools.gemini_stub.tokens import Usage

# google.rpc.Code names for the HTTP statuses Google maps them to.
GOOGLE_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

_DEFAULT_MESSAGES = {
    429: "Resource has been exhausted (e.g. check quota).",
    500: "An internal error has occurred. Please retry or report.",
    503: "The model is overloaded. Please try again later.",
}


def google_error(status: int, message: str | None = None) -> JsonObject:
    """``{"error": {"code", "message", "status"}}`` as Google APIs send it."""
    return {
        "error": {
            "code": status,
            "message": message or _DEFAULT_MESSAGES.get(status, "Request failed."),
            "status": GOOGLE_STATUS_NAMES.get(status, "UNKNOWN"),
        }
    }


def usage_metadata(usage: Usage) -> JsonObject:
    details = [{"modality": "TEXT", "tokenCount": usage.text_tokens}]
    if usage.image_tokens:
        details.append({"modality": "IMAGE", "tokenCount": usage.image_tokens})
    metadata: JsonObject = {
        "promptTokenCount": usage.prompt_tokens,
        "candidatesTokenCount": usage.candidates_tokens,
        "totalTokenCount": usage.total_tokens,
        "promptTokensDetails": details,
    }
    # Like Gemini, which leaves out a count of zero.
    if usage.thoughts_tokens:
        metadata["thoughtsTokenCount"] = usage.thoughts_tokens
    return metadata


def candidate_body(text: str, usage: Usage, model: str) -> JsonObject:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": usage_metadata(usage),
        "modelVersion": model,
    }


def blocked_body(reason: str, usage: Usage, model: str) -> JsonObject:
    return {
        "promptFeedback": {"blockReason": reason},
        "usageMetadata": usage_metadata(usage),
        "modelVersion": model,
    }


def count_tokens_body(usage: Usage) -> JsonObject:
    details = usage_metadata(usage)["promptTokensDetails"]
    return {"totalTokens": usage.prompt_tokens, "promptTokensDetails": details}
