"""Property-based tests of the sources-file parser (hypothesis): whatever the file holds, the
outcome is a SourcesConfig or a ConfigError, never another exception; valid files round-trip."""

from __future__ import annotations

import math
from dataclasses import fields
from datetime import UTC, date, datetime

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup import config
from newsdedup.config import ConfigError, Settings, SourcesConfig, SourceSpec, loads_sources, parse_sources

PATIENT = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML syntax and of sources files, so random text reaches the parser's deeper states.
FRAGMENTS = [
    "sources:", "settings:", "\n", "\n  ", "\n    ", "  ", "- ", "name: ", "url: ", "kind: ", "max_entries: ",
    "charset: ", "lookback_days: ", "full_content: ", "max_bytes: ", "total_timeout: ", "dedup_window_days: ",
    "&a ", "&b ", "*a", "*b", "<<: ", "{", "}", "[", "]", ", ", ": ", "'", '"', "!!int ", "!!float ",
    "!!binary ", "!!set ", "!!omap ", "!!timestamp ", "!!str ", "!!python/name:os.system ", "!local ", "? ",
    "---\n", "...\n", "# c\n", ".inf", "-.inf", ".nan", "-1", "1e400", "0x1F", "0o17", "1_000", "yes", "no",
    "null", "~", "true", "2026-11-05", "2026-13-45T99:00:00Z", "https://x.example/rss", "ftp://x/y", "/srv/x",
    "file:///srv/x", "a", "rss", "dir", "warc", "auto", "utf-8", "base64", "%YAML 1.1\n", "%TAG ! tag:x,2002:\n",
    "|\n  ", ">\n  ", "\t", "\x00", "\ufeff", "\u2028", "é", "\\", "\ud7ff",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=60).map("".join)


def _outcome(call, *args):  # noqa: ANN001, ANN202
    try:
        return call(*args)
    except ConfigError as exc:
        assert str(exc)  # a message, always
        return exc


@PATIENT
@given(st.text(max_size=400) | yamlish)
def test_any_text_is_a_config_or_a_config_error(text: str) -> None:
    out = _outcome(loads_sources, text)
    assert isinstance(out, SourcesConfig | ConfigError)


@PATIENT
@given(st.binary(max_size=300) | yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_a_config_or_a_config_error(raw: bytes) -> None:
    assert isinstance(_outcome(loads_sources, raw), SourcesConfig | ConfigError)


KEYS = st.sampled_from(["settings", "sources", "name", "url", "kind", *config.OPTION_NAMES,
                        *(f.name for f in fields(Settings)), "dedup_window_days", "kidn"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.binary(max_size=8)
           | st.datetimes() | st.dates() | st.sampled_from(list(config.SOURCE_KINDS) + ["https://x.example/f", "/srv/x"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                      max_leaves=30)


@PATIENT
@given(VALUES)
def test_any_nested_value_is_a_config_or_a_config_error(value: object) -> None:
    assert isinstance(_outcome(parse_sources, value), SourcesConfig | ConfigError)


@PATIENT
@given(st.dictionaries(st.sampled_from([f.name for f in fields(Settings)] + ["x"]), VALUES, max_size=6),
       st.lists(st.dictionaries(KEYS, VALUES, max_size=6), max_size=4))
def test_any_values_in_the_right_places_are_a_config_or_a_config_error(settings_block: dict, entries: list) -> None:
    out = _outcome(parse_sources, {"settings": settings_block, "sources": entries})
    assert isinstance(out, SourcesConfig | ConfigError)
    if isinstance(out, SourcesConfig):  # accepted values are what the rest of the code expects
        for f in fields(Settings):
            v = getattr(out.settings, f.name)
            assert isinstance(v, type(getattr(Settings, f.name)))
            assert not isinstance(v, float) or math.isfinite(v)


@PATIENT
@given(VALUES)
def test_any_nested_value_written_as_yaml_is_a_config_or_a_config_error(value: object) -> None:
    try:
        text = yaml.safe_dump({"sources": [{"name": "a", "url": "/srv/a", "extra": value}], "settings": value})
    except yaml.YAMLError:
        return
    assert isinstance(_outcome(loads_sources, text), ConfigError)  # `extra` is never a known key


# --- valid files round-trip ---------------------------------------------------------------------

def _finite(lo: float, hi: float, *, exclude_min: bool = False) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, exclude_min=exclude_min, allow_nan=False, allow_infinity=False)


SETTING_VALUES = {
    "user_agent": st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=60)
    .filter(str.strip),
    "allow_private_networks": st.booleans(), "respect_robots": st.booleans(),
    "connect_timeout": _finite(0, 3600, exclude_min=True), "read_timeout": _finite(0, 3600, exclude_min=True),
    "total_timeout": _finite(0, 3600, exclude_min=True), "max_bytes": st.integers(1024, 1 << 30),
    "max_redirects": st.integers(0, 50), "retries": st.integers(0, 20), "backoff_base": _finite(0, 3600),
    "backoff_max": _finite(0, 3600), "per_host_concurrency": st.integers(1, 64), "per_host_delay": _finite(0, 3600),
    "concurrency": st.integers(1, 256), "max_entries_per_source": st.integers(0, 1_000_000),
    "sitemap_lookback_days": _finite(0, 36500),
}  # fmt: skip
NAMES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,20}\Z")
REMOTE = st.builds("https://{}.example.org/{}".format, st.from_regex(r"\A[a-z][a-z0-9-]{0,10}\Z"),
                   st.from_regex(r"\A[a-z0-9/._-]{0,20}\Z"))
LOCAL = st.sampled_from(["/srv/news", "file:///srv/news/x.warc.gz", "/srv/ünïcode pages"])
OPTIONS = st.fixed_dictionaries({}, optional={
    "max_entries": st.integers(0, 1_000_000), "full_content": st.sampled_from(["auto", True, False]),
    "lookback_days": _finite(0, 36500), "max_sitemaps": st.integers(1, 1000), "base_url": REMOTE,
    "charset": st.sampled_from(["utf-8", "iso-8859-2", "windows-1250", "Shift_JIS", "koi8-r", "utf-16"]),
})


@st.composite
def entries(draw: st.DrawFn, name: str) -> SourceSpec:
    kind = draw(st.sampled_from([None, *config.SOURCE_KINDS]))
    url = draw(LOCAL if kind in config.LOCAL_KINDS else REMOTE if kind in config.REMOTE_KINDS else (REMOTE | LOCAL))
    return SourceSpec(name, url, kind, draw(OPTIONS))


@st.composite
def configs(draw: st.DrawFn) -> SourcesConfig:
    given_settings = draw(st.fixed_dictionaries({}, optional=SETTING_VALUES))
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique_by=str.casefold))
    return SourcesConfig(Settings(**given_settings), tuple(draw(entries(n)) for n in names))


@PATIENT
@given(configs())
def test_valid_files_round_trip(cfg: SourcesConfig) -> None:
    text = yaml.safe_dump(cfg.to_document(), allow_unicode=True, sort_keys=False)
    back = loads_sources(text, origin="x.yaml")
    assert back.settings == cfg.settings
    first: dict[str, SourceSpec] = {}  # a source whose URL an earlier one has is left out (session 40)
    for s in cfg.sources:
        first.setdefault(config._url_key(s.url), s)
    assert back.sources == tuple(
        SourceSpec(s.name, s.url, s.kind, {k: float(v) if k == "lookback_days" else v for k, v in s.options.items()})
        for s in first.values())
    assert len(back.warnings) == len(cfg.sources) - len(first)
    kept = {s.name for s in first.values()}
    assert back.skipped == tuple(s.name for s in cfg.sources if s.name not in kept)  # session 41
    again = loads_sources(text.encode("utf-8"))
    assert again == SourcesConfig(back.settings, back.sources, "<sources>", again.warnings, back.skipped)


def test_yaml_dates_and_binary_are_refused_where_text_is_expected() -> None:
    doc = {"sources": [{"name": datetime(2026, 1, 1, tzinfo=UTC), "url": b"/srv/x"}], "settings": {"user_agent": date.today()}}
    try:
        parse_sources(doc)
    except ConfigError as exc:
        assert "sources[0].name: must be a string" in str(exc) and "sources[0].url: must be a string" in str(exc)
    else:
        raise AssertionError("accepted")
