"""Citations: where a rule's or a property's words come from, and how sure we are of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from forcecheck.model.hints import Hint, record_config


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule's words come from, and how sure we are of them."""

    __pydantic_config__ = record_config()

    source: Annotated[str, Hint(description="id of an entry in the policy's `sources`")]
    section: Annotated[str, Hint(min_length=1)]
    quote: Annotated[str, Hint(min_length=1)]
    wording: Annotated[
        Literal["verbatim", "secondary"],
        Hint(
            description="verbatim: the document's own words, seen in a copy of it; "
            "secondary: known only from quotation, paraphrase or another document"
        ),
    ]
    seen_in: Annotated[
        str | None, Hint(description="where these words were seen, if not the source's")
    ] = None

    def as_dict(self) -> dict[str, Any]:
        """The citation as the policy file writes it, leaving out what is not given."""
        return {key: value for key, value in asdict(self).items() if value is not None}
