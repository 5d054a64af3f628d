-- 006: follow articles over time (issue 12, "Revisions"). Every version of an article is kept
-- (`article_revisions`, revision 1 = the first), the raw page of every version too (`raw_pages` is
-- keyed by page and revision), and each article fetched over HTTP has a re-check state
-- (`article_checks`: when it was first seen and last checked, the ETag / Last-Modified of its last
-- fetch for a conditional GET). `articles` shows the latest version.
--
-- Idempotent: safe to run again after a crash part-way (every step checks what is already there),
-- and one transaction, so a crash leaves either the old layout or the new one.

BEGIN TRANSACTION;

-- raw_pages: the key grows from the page (url_id) to (url_id, revision), so a revision's raw page
-- never replaces the first one. DuckDB cannot change a primary key in place: copy into a new table.
CREATE TABLE IF NOT EXISTS raw_pages_006 (
    url_id              VARCHAR NOT NULL,
    revision            INTEGER NOT NULL DEFAULT 1,
    article_id          VARCHAR,
    url                 VARCHAR NOT NULL,
    final_url           VARCHAR,
    content_type        VARCHAR,
    http_status         INTEGER,
    bytes               BIGINT,
    sha1                VARCHAR,
    path                VARCHAR NOT NULL,  -- gzip file relative to the warehouse's raw folder
    fetched_at          TIMESTAMPTZ,
    run_id              VARCHAR,
    entry_title         VARCHAR,
    entry_published_at  TIMESTAMPTZ,
    entry_date_note     VARCHAR,
    etag                VARCHAR,
    last_modified       VARCHAR,
    PRIMARY KEY (url_id, revision)
);
-- BY NAME: the columns the old table lacks take their defaults (revision 1); run again, it copies as is.
INSERT INTO raw_pages_006 BY NAME SELECT * FROM raw_pages;
DROP TABLE raw_pages;
ALTER TABLE raw_pages_006 RENAME TO raw_pages;
UPDATE raw_pages r SET article_id = (SELECT min(a.article_id) FROM articles a WHERE a.url = r.url)
WHERE r.article_id IS NULL;
COMMENT ON TABLE raw_pages IS 'One row per fetched version of an article page (revision 1 = the first fetch, then one per revision): where its gzip-compressed raw bytes are kept beside the warehouse, with what they are decoded and completed with, so cleaning can be re-run without re-fetching.';
COMMENT ON COLUMN raw_pages.url_id IS 'The page: id of the canonicalised final URL of its first fetch (its revisions keep it).';
COMMENT ON COLUMN raw_pages.revision IS 'The article revision this raw page is (article_revisions.revision).';
COMMENT ON COLUMN raw_pages.article_id IS 'The article built from this page.';
COMMENT ON COLUMN raw_pages.content_type IS 'The Content-Type the page came with (HTTP or WARC header; for a dir source, text/html with its declared charset): its charset decodes the raw bytes.';
COMMENT ON COLUMN raw_pages.entry_title IS 'The title the feed or sitemap entry gave the page (NULL when the source listed none): the article title when the page has none.';
COMMENT ON COLUMN raw_pages.entry_published_at IS 'The date the feed or sitemap entry gave the page, when plausible: the published time when the page has none.';
COMMENT ON COLUMN raw_pages.entry_date_note IS 'Why a date the entry gave was ignored (implausible: before 1995, in the future), as the source sent it.';
COMMENT ON COLUMN raw_pages.etag IS 'The ETag the response carried (sent back as If-None-Match when the article is re-checked).';
COMMENT ON COLUMN raw_pages.last_modified IS 'The Last-Modified the response carried (sent back as If-Modified-Since).';

-- articles: the latest version, and whether the page is gone.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS revision INTEGER DEFAULT 1;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS revised_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS gone_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS gone_status INTEGER;
UPDATE articles SET revision = 1 WHERE revision IS NULL;
COMMENT ON COLUMN articles.fetched_at IS 'When the article was first fetched (first seen); the fetch time of the version shown is revised_at, or this for revision 1.';
COMMENT ON COLUMN articles.revision IS 'The revision the row shows (the latest: article_revisions holds every one); 1 until the page changes.';
COMMENT ON COLUMN articles.revised_at IS 'When the version shown was fetched; NULL while the article has only its first version.';
COMMENT ON COLUMN articles.gone_at IS 'When a re-check first found the page gone (HTTP 404 or 410); NULL while it is online. The record is kept.';
COMMENT ON COLUMN articles.gone_status IS 'The HTTP status (404 or 410) that said the page is gone.';

CREATE TABLE IF NOT EXISTS article_revisions (
    article_id      VARCHAR NOT NULL,
    revision        INTEGER NOT NULL,   -- 1 = the first version, counting up
    fetched_at      TIMESTAMPTZ NOT NULL,
    run_id          VARCHAR,
    title           VARCHAR,
    content_hash    VARCHAR,            -- the dedup stage's normalised-text hash (articles.content_hash)
    text            VARCHAR NOT NULL,
    word_count      INTEGER,
    words_added     INTEGER,            -- against the previous revision; NULL for revision 1
    words_removed   INTEGER,
    title_changed   BOOLEAN,            -- NULL for revision 1
    text_changed    BOOLEAN,            -- NULL for revision 1
    PRIMARY KEY (article_id, revision)
);
COMMENT ON TABLE article_revisions IS 'One row per version of an article (revision 1 = the first fetch; a new row each time a re-check finds the cleaned title or text changed): its title and text, when it was fetched, and what changed against the previous revision (words added and removed by a word diff, title changed or not). Its raw page is raw_pages (article_id, revision).';

-- Revision 1 of every article stored before this migration.
INSERT INTO article_revisions BY NAME
SELECT article_id, 1 AS revision, coalesce(fetched_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS fetched_at, run_id,
       title, content_hash, text, word_count
FROM articles
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS article_checks (
    article_id       VARCHAR PRIMARY KEY,
    source           VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,  -- fetched again (as the source listed it)
    url_id           VARCHAR,           -- raw_pages.url_id of its pages
    first_seen_at    TIMESTAMPTZ NOT NULL,
    last_checked_at  TIMESTAMPTZ,       -- NULL until the first re-check
    checks           INTEGER NOT NULL DEFAULT 0,
    etag             VARCHAR,
    last_modified    VARCHAR,
    last_outcome     VARCHAR,           -- revised | unchanged | not_modified | gone | failed | clean_failed
    last_status      INTEGER,
    last_error       VARCHAR,
    last_run_id      VARCHAR
);
COMMENT ON TABLE article_checks IS 'One row per article fetched over HTTP (it can be re-checked): when it was first seen and last re-checked, how many re-checks were made, the ETag / Last-Modified of its last response (for a conditional GET) and the outcome of the last re-check. Articles a source carried itself (dir, WARC, full-content feeds) have none.';

-- Articles fetched as pages before this migration; their validators are unknown (the first re-check
-- is unconditional).
INSERT INTO article_checks BY NAME
SELECT a.article_id, a.source, a.url,
       (SELECT min(r.url_id) FROM raw_pages r WHERE r.article_id = a.article_id) AS url_id,
       coalesce(a.fetched_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS first_seen_at, 0 AS checks
FROM articles a
WHERE a.url IN (SELECT url FROM fetch_log WHERE purpose = 'page' AND error IS NULL AND status = 200)
ON CONFLICT DO NOTHING;

-- The decision record of a revised article says what the revision did to its cluster.
ALTER TABLE article_clusters ADD COLUMN IF NOT EXISTS revision INTEGER;
ALTER TABLE article_clusters ADD COLUMN IF NOT EXISTS previous_cluster_id VARCHAR;
ALTER TABLE article_clusters ADD COLUMN IF NOT EXISTS note VARCHAR;
COMMENT ON COLUMN article_clusters.revision IS 'The article revision this decision was made on (NULL: the first version).';
COMMENT ON COLUMN article_clusters.previous_cluster_id IS 'The cluster the article was in before this revision, when the revision was decided into another one.';
COMMENT ON COLUMN article_clusters.note IS 'Why the decision changed with a revision (e.g. the rewritten story no longer matches its cluster); NULL otherwise.';

COMMENT ON COLUMN fetch_log.purpose IS 'Why the URL was fetched: feed (a feed or sitemap), page (a new article), recheck (a stored article fetched again to follow it), robots (robots.txt), file (dir and WARC sources).';

COMMIT;
