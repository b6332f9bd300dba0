"""Hand-written scenario YAML: every string forcecheck writes reads back as itself."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.render.yaml_text import yaml_scalar

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=400, derandomize=True)
@given(_text)
def test_any_text_reads_back_as_itself(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


def test_ids_and_paths_stay_plain_and_lookalike_words_are_quoted() -> None:
    assert yaml_scalar("dhs-2023") == "dhs-2023"
    assert yaml_scalar("/tmp/mine/example-policy.yaml") == "/tmp/mine/example-policy.yaml"
    for word in ("yes", "No", "unknown", ".inf", "1e3", "-x", "a: b"):
        assert yaml_scalar(word).startswith('"'), word
