"""Read ``generateContent`` / ``countTokens`` bodies as Gemini does, refusing what it refuses."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError

JsonObject = dict[str, Any]

SUPPORTED_IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"}
)

_URL_SAFE_TO_STANDARD = str.maketrans("-_", "+/")


class InvalidRequest(ValueError):
    """The body is something Gemini would refuse with 400 INVALID_ARGUMENT."""


@dataclass(frozen=True)
class InlineImage:
    """What the stub keeps of an inline image: never the bytes themselves."""

    mime_type: str
    size_bytes: int
    width: int
    height: int
    sha256: str


@dataclass(frozen=True)
class ResponseSchema:
    """The schema a request asked the answer to follow.

    ``gemini`` is ``responseSchema`` (Gemini's OpenAPI subset, upper-case types);
    ``json_schema`` is ``responseJsonSchema`` (plain JSON Schema).
    """

    dialect: Literal["gemini", "json_schema"]
    schema: JsonObject


@dataclass(frozen=True)
class Prompt:
    """The parts of a request that matter for matching, accounting and recording."""

    texts: tuple[str, ...]
    system_texts: tuple[str, ...]
    images: tuple[InlineImage, ...]
    generation_config: JsonObject

    @property
    def all_text(self) -> str:
        return "\n".join((*self.system_texts, *self.texts))

    @property
    def image_hashes(self) -> frozenset[str]:
        return frozenset(image.sha256 for image in self.images)

    @property
    def thinking_config(self) -> JsonObject:
        thinking = self.generation_config.get("thinkingConfig")
        return thinking if isinstance(thinking, dict) else {}

    @property
    def media_resolution(self) -> str | None:
        resolution = self.generation_config.get("mediaResolution")
        return resolution if isinstance(resolution, str) else None

    @property
    def response_schema(self) -> ResponseSchema | None:
        if isinstance(schema := self.generation_config.get("responseJsonSchema"), dict):
            return ResponseSchema("json_schema", schema)
        if isinstance(schema := self.generation_config.get("responseSchema"), dict):
            return ResponseSchema("gemini", schema)
        return None


def parse_prompt(body: object) -> Prompt:
    """Turn a decoded JSON body, its field names in camelCase (``contract.normalized``), into
    a ``Prompt`` or raise ``InvalidRequest``."""
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        raise InvalidRequest("* GenerateContentRequest.contents: contents is not specified")
    texts: list[str] = []
    images: list[InlineImage] = []
    for content in contents:
        _read_parts(_parts_of(content), texts, images)
    system_texts: list[str] = []
    if (system := body.get("systemInstruction")) is not None:
        _read_parts(_parts_of(system), system_texts, images)
    config = body.get("generationConfig", {})
    if not isinstance(config, dict):
        raise InvalidRequest("generationConfig must be an object.")
    return Prompt(tuple(texts), tuple(system_texts), tuple(images), config)


def _parts_of(content: object) -> list[object]:
    parts = content.get("parts") if isinstance(content, dict) else None
    if not isinstance(parts, list) or not parts:
        raise InvalidRequest("* GenerateContentRequest.contents.parts: must not be empty.")
    return parts


def _read_parts(parts: list[object], texts: list[str], images: list[InlineImage]) -> None:
    for part in parts:
        if not isinstance(part, dict):
            raise InvalidRequest("Each part must be an object.")
        if "text" in part:
            if not isinstance(part["text"], str):
                raise InvalidRequest("part.text must be a string.")
            texts.append(part["text"])
        elif "inlineData" in part:
            images.append(_read_inline_image(part["inlineData"]))
        else:
            # Gemini accepts more part kinds; the app sends only these two, so anything
            # else means the caller changed and the stub should be taught about it.
            raise InvalidRequest(
                f"The Gemini stub only understands text and inlineData parts, not {sorted(part)}"
            )


def _read_inline_image(inline: object) -> InlineImage:
    if not isinstance(inline, dict):
        raise InvalidRequest("inlineData must be an object.")
    mime_type = inline.get("mimeType")
    if mime_type not in SUPPORTED_IMAGE_TYPES:
        raise InvalidRequest(f"Unsupported MIME type: {mime_type}")
    data = _decode_base64(inline.get("data"))
    width, height = _image_size(data)
    return InlineImage(str(mime_type), len(data), width, height, hashlib.sha256(data).hexdigest())


def _decode_base64(encoded: object) -> bytes:
    """Decode proto3 JSON ``bytes``: standard or URL-safe alphabet, padding optional.

    google-genai sends the URL-safe alphabet; other clients send the standard one.
    """
    if not isinstance(encoded, str) or not encoded:
        raise InvalidRequest("inlineData.data must be a non-empty base64 string.")
    standard = encoded.translate(_URL_SAFE_TO_STANDARD)
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error as error:
        raise InvalidRequest("inlineData.data is not valid base64.") from error


def _image_size(data: bytes) -> tuple[int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise InvalidRequest("Unable to process input image. Please retry or report.") from error
    return size
