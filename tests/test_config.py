"""The sources file: valid files load; every mistake gets a message that says what to fix.

Every hostile or careless file of issue 10 is here, read from a real file: each must end in a
ConfigError (exit 2 from `newsdedup run`), never a traceback, and never only at run time.
"""

from __future__ import annotations

import encodings.aliases
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsdedup import config
from newsdedup.config import ConfigError, Settings, SourceSpec, load_sources, loads_sources, parse_sources

EXE = str(Path(sys.executable).with_name("newsdedup"))
GOOD = {
    "settings": {"user_agent": "test/1.0 (+mailto:ops@example.org)", "allow_private_networks": True,
                 "read_timeout": 3},
    "sources": [{"name": "wire", "url": "https://example.org/rss.xml", "kind": "rss"},
                {"name": "site-map", "url": "https://example.org/sitemap.xml", "max_entries": 50}],
}
ONE = "sources:\n  - name: wire\n    url: https://example.org/rss.xml\n"


def _write(tmp_path: Path, text: str | bytes, name: str = "sources.yaml") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as exc:
        load_sources(path)
    return str(exc.value)


def test_good_file_loads_with_detected_kind_and_options(tmp_path: Path) -> None:
    cfg = parse_sources(GOOD)
    assert cfg.settings.allow_private_networks is True
    assert cfg.settings.read_timeout == 3.0 and isinstance(cfg.settings.read_timeout, float)
    assert [s.name for s in cfg.sources] == ["wire", "site-map"]
    assert cfg.sources[1].kind is None and cfg.sources[1].options == {"max_entries": 50}


def test_settings_default_when_absent() -> None:
    cfg = parse_sources({"sources": GOOD["sources"]})
    assert cfg.settings == Settings()
    assert parse_sources({"settings": None, "sources": GOOD["sources"]}).settings == Settings()


@pytest.mark.parametrize("doc, message", [
    ([], "expected a mapping"),
    (None, "got an empty file"),
    ({"sources": []}, "sources: must be a non-empty list"),
    ({"sources": GOOD["sources"], "extra": 1}, "extra: unknown key; the file takes settings, sources"),
    ({"settings": {"timeout": 3}, "sources": GOOD["sources"]}, "settings.timeout: unknown key"),
    ({"settings": {"read_timeout": "fast"}, "sources": GOOD["sources"]}, "settings.read_timeout: must be a number"),
    ({"settings": {"allow_private_networks": "yes"}, "sources": GOOD["sources"]}, "true or false, not 'yes'"),
    ({"settings": {"per_host_concurrency": 0}, "sources": GOOD["sources"]}, "per_host_concurrency: must be >= 1"),
    ({"settings": {"user_agent": "bot\r\nX-Evil: 1"}, "sources": GOOD["sources"]}, "printable ASCII"),
    ({"sources": [{"name": "a b", "url": "https://x"}]}, "sources[0].name: 'name' must be"),
    ({"sources": [{"name": "a", "url": "https://x"}, {"name": "a", "url": "https://y"}]},
     "sources[1].name: duplicate source name 'a' (also sources[0])"),
    # staged files are named after the source: on a case-insensitive file system these two were one
    ({"sources": [{"name": "Reuters", "url": "https://x"}, {"name": "reuters", "url": "https://y"}]},
     "sources[1].name: duplicate source name 'reuters' (sources[0] is 'Reuters'); names must be unique, and not only in case"),
    ({"sources": [{"name": "a", "url": ""}]}, "'url' must be a non-empty string"),
    ({"sources": [{"name": "a", "url": "https://x", "kind": "json"}]}, "sources[0].kind: must be one of rss"),
    ({"sources": [{"name": "a"}]}, "sources[0].url: is required"),
    ({"sources": [7]}, "sources[0]: must be a mapping, not 7"),
])
def test_mistakes_are_named(doc, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_sources(doc, origin="sources.yaml")
    assert message in str(exc.value) and "sources.yaml" in str(exc.value)


def test_missing_and_unparsable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_sources(tmp_path / "nope.yaml")
    bad = _write(tmp_path, "sources: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sources(bad)


# --- issue 10: files that crashed the run or were silently misread ---------------------------------


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    p = _write(tmp_path, ONE.encode() + b"    kind: rss # caf\xe9\n")  # Latin-1, as an old editor saves it
    msg = _error(p)
    assert "not UTF-8 text" in msg and "line 4" in msg and "0xe9" in msg


def test_utf16_with_a_bom_is_read_as_yaml_allows(tmp_path: Path) -> None:
    p = _write(tmp_path, ONE.encode("utf-16"))
    assert load_sources(p).sources[0].name == "wire"


def test_a_directory_is_a_config_error(tmp_path: Path) -> None:
    assert "is a directory" in _error(tmp_path)


@pytest.mark.parametrize("value, message", [
    (".inf", "settings.max_bytes: must be a whole number, not inf"),
    ("-.inf", "settings.max_bytes: must be a whole number"),
    (".nan", "settings.max_bytes: must be a whole number, not nan"),
    ("'5000000'", "settings.max_bytes: must be a whole number, not '5000000'"),
    ("true", "settings.max_bytes: must be a whole number, not True"),
    ("100", "settings.max_bytes: must be >= 1024, not 100"),
])
def test_max_bytes_must_be_a_real_size(tmp_path: Path, value: str, message: str) -> None:
    assert message in _error(_write(tmp_path, f"settings:\n  max_bytes: {value}\n" + ONE))


@pytest.mark.parametrize("key", ["total_timeout", "connect_timeout", "read_timeout", "sitemap_lookback_days",
                                 "backoff_max", "per_host_delay"])
def test_nan_and_inf_never_switch_a_limit_off(tmp_path: Path, key: str) -> None:
    for value in (".nan", ".inf"):
        assert f"settings.{key}: must be a finite number" in _error(
            _write(tmp_path, f"settings:\n  {key}: {value}\n" + ONE))


def test_the_dedup_window_is_not_a_sources_file_setting(tmp_path: Path) -> None:
    # It used to be read only after all fetching (OverflowError in a timedelta); it is DedupConfig's now.
    msg = _error(_write(tmp_path, "settings:\n  dedup_window_days: 1e300\n" + ONE))
    assert "settings.dedup_window_days: this setting was removed" in msg and "DedupConfig.window_days" in msg


def test_numbers_of_the_wrong_type_fail_at_load(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, ONE + "    max_entries: '5'\n"))
    assert "sources[0].max_entries: must be a whole number, not '5'" in msg
    msg = _error(_write(tmp_path, ONE + "    lookback_days: 1 day\n"))
    assert "sources[0].lookback_days: must be a number, not '1 day'" in msg
    msg = _error(_write(tmp_path, ONE + "    max_entries: -1\n"))
    assert "sources[0].max_entries: must be >= 0, not -1" in msg


@pytest.mark.parametrize("url, kind, message", [
    ("ftp://news.example.org/feed.xml", None, "scheme 'ftp' cannot be read"),
    ("gopher://x/1", "rss", "scheme 'gopher' cannot be read"),
    ("mailto:desk@example.org", None, "scheme 'mailto' cannot be read"),
    ("https://", "rss", "not a usable http(s) URL"),
    ("https://news example.org/rss", "rss", "not a usable http(s) URL"),
    ("http://[::1/feed", "rss", "Invalid IPv6 URL"),
    ("http://example.org:99999/feed", "rss", "Port out of range"),
    ("https://example.org/cc-news/", "dir", "kind 'dir' reads a local path or file:// URL"),
    ("https://example.org/crawl.warc.gz", "warc", "kind 'warc' reads a local path"),
    ("file://fileserver/share/x.warc", "warc", "a file: URL names a local path"),
])
def test_unusable_urls_fail_at_load(tmp_path: Path, url: str, kind: str | None, message: str) -> None:
    entry = {"name": "s", "url": url, **({"kind": kind} if kind else {})}
    msg = _error(_write(tmp_path, yaml.safe_dump({"sources": [entry]})))
    assert "sources[0].url: " in msg and message in msg


@pytest.mark.parametrize("url, kind", [
    ("https://example.org/rss.xml", "rss"), ("HTTP://Example.org:8080/a?b=c&d", None),
    ("/srv/news/crawl.warc.gz", "warc"), ("file:///srv/news/pages/", "dir"), ("file://localhost/srv/x.xml", None),
    ("/srv/feed.xml", "rss"), ("C:/crawl/x.warc", "warc"),
])
def test_urls_each_kind_can_read(url: str, kind: str | None) -> None:
    cfg = parse_sources({"sources": [{"name": "s", "url": url, **({"kind": kind} if kind else {})}]})
    assert cfg.sources[0].url == url


def test_unknown_keys_in_a_source_are_named_with_the_known_ones(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, ONE + "    kidn: rss\n    max_entires: 5\n"))
    assert "sources[0].kidn: unknown key (did you mean 'kind'?)" in msg
    assert "sources[0].max_entires: unknown key (did you mean 'max_entries'?)" in msg
    assert "a source entry takes name, url, kind, max_entries, full_content, lookback_days, max_sitemaps, " \
           "base_url, charset" in msg


def test_a_duplicated_yaml_key_is_an_error_not_last_wins(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, ONE + "    max_entries: 5\n    max_entries: 500\n"))
    assert "line 5: duplicate key 'max_entries' (first on line 4)" in msg
    msg = _error(_write(tmp_path, "settings:\n  retries: 1\nsettings:\n  retries: 3\n" + ONE))
    assert "line 3: duplicate key 'settings'" in msg


def test_merge_keys_may_override_what_they_merge(tmp_path: Path) -> None:
    text = ("sources:\n"
            "  - &first {name: a, url: 'https://a.example/rss', kind: rss, max_entries: 20}\n"
            "  - <<: *first\n    name: b\n    url: https://b.example/rss\n")
    cfg = load_sources(_write(tmp_path, text))
    assert [(s.name, s.kind, s.options) for s in cfg.sources] == [
        ("a", "rss", {"max_entries": 20}), ("b", "rss", {"max_entries": 20})]


def _bomb(levels: int = 9) -> str:
    lines = ['    a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    # 9 levels of 9 aliases: 9**9 = 387 million strings once expanded, in a 600-byte file
    p = _write(tmp_path, ONE + "    extra:\n" + _bomb())
    msg = _error(p)
    assert "aliases expand the document" in msg and "alias bomb" in msg


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    assert "recursive alias" in _error(_write(tmp_path, ONE + "    extra: &loop [1, *loop]\n"))


def test_every_error_is_reported_at_once_with_its_path(tmp_path: Path) -> None:
    text = ("settings:\n  max_bytes: .inf\n  total_timeout: .nan\n"
            "sources:\n"
            "  - {name: a, url: 'https://a.example/rss'}\n"
            "  - {name: b, url: 'ftp://b.example/feed'}\n"
            "  - {name: c, url: 'https://c.example/rss', kidn: rss}\n"
            "  - {name: d, url: 'https://d.example/rss', max_entries: '5'}\n"
            "  - {name: a, url: 'https://e.example/rss', charset: klingon}\n")
    msg = _error(_write(tmp_path, text))
    lines = msg.splitlines()
    assert lines[0].endswith("sources.yaml: 7 errors:")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "settings.total_timeout", "settings.max_bytes", "sources[1].url", "sources[2].kidn",
        "sources[3].max_entries", "sources[4].name", "sources[4].charset"]


def test_every_option_sources_reads_is_in_the_schema() -> None:
    import re

    text = (config.PROJECT_ROOT / "plugins" / "newsdedup" / "sources.py").read_text(encoding="utf-8")
    read = set(re.findall(r"options\.get\(\s*[\"'](\w+)[\"']", text)) | set(re.findall(r"options\[[\"'](\w+)[\"']\]", text))
    assert read and read <= set(config.OPTION_NAMES)


def test_charset_is_a_per_source_option_checked_against_python_codecs() -> None:
    cfg = parse_sources({"sources": [{"name": "pl", "url": "/srv/pl-pages", "kind": "dir", "charset": "iso-8859-2"},
                                     {"name": "jp", "url": "https://jp.example/rss", "charset": "Shift_JIS"}]})
    assert [s.options for s in cfg.sources] == [{"charset": "iso-8859-2"}, {"charset": "Shift_JIS"}]
    for bad in ("klingon", "base64", "rot13", ""):
        with pytest.raises(ConfigError, match=r"sources\[0\]\.charset: .* is not a text encoding"):
            parse_sources({"sources": [{"name": "x", "url": "/srv/x", "charset": bad}]})


def test_a_charset_the_file_accepts_is_one_the_readers_can_decode_with() -> None:
    # The file's check asked Python's codecs; the dir reader asks newsdedup.charset (encodings of the
    # web). 'punycode', 'unicode_escape', 'utf-7' or 'utf_8_sig' passed the check and then failed the
    # source on every run with a traceback ("charset ... is not a known character encoding").
    from newsdedup.charset import norm_charset

    for name in sorted(set(encodings.aliases.aliases.values()) | {"punycode", "unicode_escape", "utf_7", "utf_8_sig"}):
        doc = {"sources": [{"name": "x", "url": "/srv/x", "kind": "dir", "charset": name}]}
        if norm_charset(name) is None:
            with pytest.raises(ConfigError, match=r"sources\[0\]\.charset: "):
                parse_sources(doc)
        else:
            assert parse_sources(doc).sources[0].options == {"charset": name}


def test_every_option_has_its_type_and_bounds() -> None:
    def err(**opts: object) -> str:
        with pytest.raises(ConfigError) as exc:
            parse_sources({"sources": [{"name": "x", "url": "https://x.example/f", **opts}]})
        return str(exc.value)

    assert "full_content: must be auto, true or false, not 'yes'" in err(full_content="yes")
    assert "full_content: must be auto, true or false, not 1" in err(full_content=1)
    assert "lookback_days: must be a finite number" in err(lookback_days=float("nan"))
    assert "lookback_days: must be <= 36500" in err(lookback_days=1e9)
    assert "max_sitemaps: must be >= 1" in err(max_sitemaps=0)
    assert "base_url: must be an http:// or https:// URL" in err(base_url="/srv/x")
    ok = parse_sources({"sources": [{"name": "x", "url": "/srv/x", "full_content": False, "lookback_days": 2,
                                     "max_sitemaps": 5, "base_url": "https://x.example/", "max_entries": None}]})
    assert ok.sources[0].options == {"full_content": False, "lookback_days": 2.0, "max_sitemaps": 5,
                                     "base_url": "https://x.example/"}


def test_yaml_that_pyyaml_itself_chokes_on_is_a_config_error() -> None:
    for text in ("!!int abc", "!!float x", "!!timestamp 2020-13-45", "? [a]\n: 1", "!!python/object:os.system x",
                 "a: 1\n---\nb: 2\n", "[" * 2000 + "]" * 2000, "\x00", "sources: *nowhere"):
        with pytest.raises(ConfigError):
            loads_sources(text)


def test_a_big_sources_file_is_read_with_the_c_loader(tmp_path: Path) -> None:
    """10 MB, 88,000 sources: read whole and right (`benchmarks/sources_file_bench.py` prints the time)."""
    if yaml.__with_libyaml__:
        assert issubclass(config._Loader, yaml.CSafeLoader)
    rows = [f"  - name: source-{i:06d}\n    url: https://news{i % 997}.example.org/s/{i}/feed.xml?a=1&b=2\n"
            f"    kind: rss\n    max_entries: {i % 300}\n" for i in range(88_000)]
    p = _write(tmp_path, "settings:\n  retries: 1\nsources:\n" + "".join(rows))
    assert p.stat().st_size > 10 * 1024 * 1024
    cfg = load_sources(p)
    assert len(cfg.sources) == 88_000 and cfg.sources[-1] == SourceSpec(
        "source-087999", "https://news263.example.org/s/87999/feed.xml?a=1&b=2", "rss", {"max_entries": 99})


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    p = tmp_path / "huge.yaml"
    with p.open("wb") as fh:
        fh.truncate(config.MAX_FILE_BYTES + 1)
    assert "larger than 32 MB" in _error(p)


@pytest.mark.parametrize("content", [b"sources: \xff\xfe\n", None, b"settings:\n  max_bytes: .inf\n" + ONE.encode()])
def test_newsdedup_run_exits_2_with_the_message_not_a_traceback(tmp_path: Path, content: bytes | None) -> None:
    target = tmp_path / "sources.yaml"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    proc = subprocess.run([EXE, "run", "--sources", str(target), "--warehouse", str(tmp_path / "w.duckdb"),
                           "--staging", str(tmp_path / "staging")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("newsdedup run: ") and str(target) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_the_plan_task_fails_without_retries_on_a_bad_file(tmp_path: Path) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import tasks

    bad = _write(tmp_path, ONE + "    kidn: rss\n")
    params = {"sources_file": str(bad), "staging": str(tmp_path / "staging"), "warehouse": str(tmp_path / "w")}
    with pytest.raises(AirflowFailException, match=r"sources\[0\]\.kidn: unknown key"):
        tasks.plan({"run_id": "manual__bad", "params": params})


def test_the_plan_task_fails_without_retries_on_a_warehouse_path_no_retry_can_mend(tmp_path: Path) -> None:
    # A folder, a FIFO, a name that is not UTF-8, or the readers' snapshot as the warehouse was retried
    # twice by Airflow (minutes apart) like a held lock, then failed with the same message.
    import os

    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import tasks

    good = _write(tmp_path, ONE)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    latin1 = tmp_path / os.fsdecode(b"entrep\xf4t.duckdb")
    for path, why in ((folder, "is a folder"), (fifo, "not a regular file"), (latin1, "is not UTF-8")):
        params = {"sources_file": str(good), "staging": str(tmp_path / "staging"), "warehouse": str(path)}
        with pytest.raises(AirflowFailException, match=why):
            tasks.plan({"run_id": "manual__path", "params": params})
    # The staging folder: a name that is not UTF-8 stays so however often Airflow retries.
    params = {"sources_file": str(good), "staging": str(tmp_path / os.fsdecode(b"st\xe4ging")),
              "warehouse": str(tmp_path / "w.duckdb")}
    with pytest.raises(AirflowFailException, match="is not UTF-8"):
        tasks.plan({"run_id": "manual__path", "params": params})
