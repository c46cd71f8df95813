"""
Citations as W3C Web Annotations (JSON-LD): the same fields as the JSON, in the W3C shape.

A citation is an Annotation whose body is the proposal and whose target is a passage of the
source, described by a TextQuoteSelector and a TextPositionSelector (Web Annotation Data Model,
sections 4.2.4 and 4.2.5). A list is an AnnotationCollection embedding its first page, each
later page an AnnotationPage that is `partOf` it (Web Annotation Protocol, section 4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import renderers

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = "application/ld+json"
ANNOTATION_PROFILE = f'{MEDIA_TYPE}; profile="{ANNOTATION_CONTEXT}"'

# What a citation's role says, as a W3C motivation of the link between proposal and passage.
ROLE_PURPOSES = {"origin": "identifying", "evidence": "assessing", "context": "describing"}


class JSONLDRenderer(renderers.JSONRenderer):
    """`?format=jsonld` or `Accept: application/ld+json`: the view shapes the data."""

    media_type = MEDIA_TYPE
    format = "jsonld"


def annotation(
    citation: Mapping[str, Any],
    *,
    url: str,
    proposal_url: Callable[[str], str],
    source_url: Callable[[str], str],
    context: bool = True,
) -> dict[str, Any]:
    """One citation (its API representation) as a Web Annotation."""
    selectors = citation["selectors"]
    data: dict[str, Any] = {}
    if context:
        data["@context"] = ANNOTATION_CONTEXT
    data.update(
        {
            "id": url,
            "type": "Annotation",
            "motivation": "linking",
            "body": [
                {
                    "id": proposal_url(citation["proposal"]),
                    "type": "Dataset",
                    "format": "application/json",
                    "label": citation["proposal_title"],
                },
                {
                    "type": "TextualBody",
                    "value": citation["role"],
                    "purpose": ROLE_PURPOSES.get(citation["role"], "tagging"),
                },
                {
                    "type": "TextualBody",
                    "value": citation["locator"],
                    "purpose": "describing",
                },
            ],
            "target": {
                "source": source_url(citation["source"]),
                "type": "Text",
                "format": "application/json",
                "label": citation["source_title"],
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": selectors["quote"]["exact"],
                        "prefix": selectors["quote"]["prefix"],
                        "suffix": selectors["quote"]["suffix"],
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": selectors["position"]["start"],
                        "end": selectors["position"]["end"],
                    },
                ],
            },
        }
    )
    return data


def collection(
    items: list[dict[str, Any]],
    *,
    collection_url: str,
    page_url: str,
    total: int,
    start_index: int,
    first_url: str,
    last_url: str,
    next_url: str | None,
    prev_url: str | None,
) -> dict[str, Any]:
    """A page of annotations: the collection with its first page, or a later page."""
    page: dict[str, Any] = {"id": page_url, "type": "AnnotationPage", "startIndex": start_index}
    if next_url:
        page["next"] = next_url
    if prev_url:
        page["prev"] = prev_url
    page["items"] = items
    about = {
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": "Citations of the proposal tracker",
        "total": total,
        "first": first_url,
        "last": last_url,
    }
    if prev_url is None:
        return {"@context": ANNOTATION_CONTEXT, **about, "first": page}
    return {"@context": ANNOTATION_CONTEXT, **page, "partOf": about}
