"""The sources file: valid files load; every mistake gets a message that says what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdedup.config import ConfigError, Settings, load_sources, parse_sources

GOOD = {
    "settings": {"user_agent": "test/1.0 (+mailto:ops@example.org)", "allow_private_networks": True,
                 "read_timeout": 3},
    "sources": [{"name": "wire", "url": "https://example.org/rss.xml", "kind": "rss"},
                {"name": "site-map", "url": "https://example.org/sitemap.xml", "max_entries": 50}],
}


def test_good_file_loads_with_detected_kind_and_options(tmp_path: Path) -> None:
    cfg = parse_sources(GOOD)
    assert cfg.settings.allow_private_networks is True
    assert cfg.settings.read_timeout == 3.0 and isinstance(cfg.settings.read_timeout, float)
    assert [s.name for s in cfg.sources] == ["wire", "site-map"]
    assert cfg.sources[1].kind is None and cfg.sources[1].options == {"max_entries": 50}


def test_settings_default_when_absent() -> None:
    cfg = parse_sources({"sources": GOOD["sources"]})
    assert cfg.settings == Settings()


@pytest.mark.parametrize("doc, message", [
    ([], "expected a mapping"),
    ({"sources": []}, "non-empty list"),
    ({"sources": GOOD["sources"], "extra": 1}, "unknown top-level key"),
    ({"settings": {"timeout": 3}, "sources": GOOD["sources"]}, "unknown setting(s) ['timeout']"),
    ({"settings": {"read_timeout": "fast"}, "sources": GOOD["sources"]}, "non-negative number"),
    ({"settings": {"allow_private_networks": "yes"}, "sources": GOOD["sources"]}, "true or false"),
    ({"sources": [{"name": "a b", "url": "https://x"}]}, "'name' must be"),
    ({"sources": [{"name": "a", "url": "https://x"}, {"name": "a", "url": "https://y"}]}, "duplicate source name"),
    ({"sources": [{"name": "a", "url": ""}]}, "'url' must be a non-empty string"),
    ({"sources": [{"name": "a", "url": "https://x", "kind": "json"}]}, "kind 'json' is not one of"),
])
def test_mistakes_are_named(doc, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_sources(doc, origin="sources.yaml")
    assert message in str(exc.value) and "sources.yaml" in str(exc.value)


def test_missing_and_unparsable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_sources(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sources(bad)
