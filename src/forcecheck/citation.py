"""Citations: where a rule's or a property's words come from, and how sure we are of them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """Where a rule's words come from, and how sure we are of them."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid", populate_by_name=True)

    source: str = Field(description="id of an entry in the policy's `sources`")
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    wording: Literal["verbatim", "secondary"] = Field(
        description="verbatim: the document's own words, seen in a copy of it; "
        "secondary: known only from quotation, paraphrase or another document"
    )
    seen_in: str | None = Field(
        None, description="where these words were seen, if not the source's"
    )
