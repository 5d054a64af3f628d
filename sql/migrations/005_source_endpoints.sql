-- 005: what the discovery of a `site` source found (newsdedup.discovery): one row per feed or sitemap
-- of a site, how and when it was found, and how its last read went. Loaded from the run's staged
-- endpoints in the run's transaction, keyed by (source, url): re-loading a run writes the same values.

CREATE TABLE IF NOT EXISTS source_endpoints (
    source           VARCHAR NOT NULL,   -- sources.name
    url              VARCHAR NOT NULL,   -- the feed or sitemap, canonical
    kind             VARCHAR NOT NULL,   -- rss | atom | sitemap | news_sitemap
    found_by         VARCHAR NOT NULL,   -- link_alternate | robots_sitemap | well_known_path | sitemap_index
    first_found_at   TIMESTAMPTZ,
    last_found_at    TIMESTAMPTZ,        -- the last look at the site that found it
    last_checked_at  TIMESTAMPTZ,        -- its last read
    last_status      VARCHAR,            -- ok | not_modified | the fetch or parse error (http_404, malformed_feed, ...)
    alive            BOOLEAN,            -- its last read worked (a passing failure such as a timeout does not change it)
    followed         BOOLEAN,            -- read on every run
    last_entries     INTEGER,            -- entries it listed at its last full read
    run_id           VARCHAR,            -- the run that last wrote the row
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE source_endpoints IS 'One row per feed or sitemap a site source (kind site) found: on the home page (link rel=alternate), in robots.txt, at a usual path or in a sitemap index; when it was found and last read, its last status, whether it works and is followed on every run.';
COMMENT ON COLUMN source_endpoints.found_by IS 'How it was found: link_alternate (the home page''s <link rel="alternate">), robots_sitemap (a Sitemap: line of robots.txt), well_known_path (/sitemap.xml, /news-sitemap.xml, ...), sitemap_index (a news child of a sitemap index).';
COMMENT ON COLUMN source_endpoints.followed IS 'Read on every run: every working feed, and the news sitemaps (else the general ones) of the site.';
COMMENT ON COLUMN fetch_log.purpose IS 'Why the request was made: feed (a feed or sitemap read), page (an article), file (dir/WARC), robots (robots.txt), discover (a look at a site: its home page and the feeds and sitemaps found there).';
COMMENT ON TABLE sources IS 'One row per configured source (feed, sitemap, page, site, dir, warc): its detected kind, conditional-GET state (for a site, per endpoint: see source_endpoints) and the outcome of its last run.';
