-- 001: the core warehouse. Idempotent (IF NOT EXISTS); applied in order by newsdedup.warehouse.migrate.

CREATE TABLE IF NOT EXISTS sources (
    name            VARCHAR PRIMARY KEY,
    url             VARCHAR NOT NULL,
    kind            VARCHAR,
    state           JSON,
    first_seen_at   TIMESTAMPTZ,
    last_run_id     VARCHAR,
    last_status     VARCHAR,
    last_error      VARCHAR,
    updated_at      TIMESTAMPTZ
);
COMMENT ON TABLE sources IS 'One row per configured source (feed, sitemap, page, dir, warc): its detected kind, conditional-GET state and the outcome of its last run.';

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id              VARCHAR PRIMARY KEY,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    data_interval_start TIMESTAMPTZ,
    data_interval_end   TIMESTAMPTZ,
    sources             INTEGER,
    sources_failed      INTEGER,
    entries             INTEGER,
    new_urls            INTEGER,
    fetch_attempts      INTEGER,
    fetch_failed        INTEGER,
    articles_new        INTEGER,
    clean_failed        INTEGER,
    exact_duplicates    INTEGER,
    near_duplicates     INTEGER,
    repeated_within     INTEGER,
    repeated_across     INTEGER,
    config_fingerprint  VARCHAR,
    status              VARCHAR,
    metrics             JSON
);
COMMENT ON TABLE ingest_runs IS 'One row per pipeline run (Airflow DAG run or `newsdedup run`): counts of what each stage did.';

CREATE TABLE IF NOT EXISTS fetch_log (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR,
    purpose     VARCHAR,          -- feed | page | file
    url         VARCHAR NOT NULL,
    final_url   VARCHAR,
    status      INTEGER,
    error       VARCHAR,
    detail      VARCHAR,
    bytes       BIGINT,
    elapsed_ms  DOUBLE,
    attempt     INTEGER NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE fetch_log IS 'One row per fetch attempt (retries included): status or error class, bytes, time. Re-loading a run replaces that run''s rows.';

CREATE TABLE IF NOT EXISTS raw_pages (
    url_id        VARCHAR PRIMARY KEY,
    url           VARCHAR NOT NULL,
    final_url     VARCHAR,
    content_type  VARCHAR,
    http_status   INTEGER,
    bytes         BIGINT,
    sha1          VARCHAR,
    path          VARCHAR NOT NULL,  -- gzip file relative to the warehouse folder
    fetched_at    TIMESTAMPTZ,
    run_id        VARCHAR
);
COMMENT ON TABLE raw_pages IS 'One row per fetched article page: where its gzip-compressed raw HTML is kept beside the warehouse, so cleaning can be re-run without re-fetching.';

CREATE TABLE IF NOT EXISTS articles (
    article_id      VARCHAR PRIMARY KEY,
    url             VARCHAR NOT NULL,
    canonical_url   VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    title           VARCHAR,
    authors         VARCHAR[],
    published_at    TIMESTAMPTZ,
    published_text  VARCHAR,         -- ISO 8601 as the page gave it, offset kept
    updated_at      TIMESTAMPTZ,
    language        VARCHAR,
    text            VARCHAR NOT NULL,
    word_count      INTEGER,
    content_hash    VARCHAR,
    clean_error     VARCHAR,         -- NULL when cleaning succeeded; else the reason, and text is empty
    fetched_at      TIMESTAMPTZ,
    run_id          VARCHAR
);
COMMENT ON TABLE articles IS 'One row per article page (keyed by its canonical URL): the cleaned record. Failed cleans are kept with clean_error set and empty text.';

CREATE TABLE IF NOT EXISTS article_clusters (
    article_id            VARCHAR PRIMARY KEY,
    cluster_id            VARCHAR NOT NULL,
    decision              VARCHAR NOT NULL,   -- canonical | exact | near (at the time it was decided)
    matched_article_id    VARCHAR,
    similarity            DOUBLE,
    estimated_similarity  DOUBLE,
    skipped               VARCHAR,
    config_fingerprint    VARCHAR NOT NULL,
    run_id                VARCHAR
);
COMMENT ON TABLE article_clusters IS 'One row per deduplicated article: the story cluster it joined, the article it matched, estimated and verified similarity and the dedup config fingerprint (the explanation of the decision).';

CREATE TABLE IF NOT EXISTS story_clusters (
    cluster_id            VARCHAR,
    canonical_article_id  VARCHAR,
    size                  INTEGER,
    sources               INTEGER,
    first_published_at    TIMESTAMPTZ,
    last_published_at     TIMESTAMPTZ
);
COMMENT ON TABLE story_clusters IS 'One row per story cluster (articles telling the same story): its canonical (earliest published, ties by id) and size. Recomputed from article_clusters on every load.';

CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id          VARCHAR,
    duplicate_of        VARCHAR,
    kind                VARCHAR,     -- exact | near
    similarity          DOUBLE,
    matched_article_id  VARCHAR,
    config_fingerprint  VARCHAR
);
COMMENT ON TABLE article_duplicates IS 'One row per article that duplicates another: the canonical article of its cluster, exact or near, and the similarity. Recomputed from article_clusters on every load.';

CREATE TABLE IF NOT EXISTS minhash_signatures (
    article_id          VARCHAR PRIMARY KEY,
    source              VARCHAR,
    published_at        TIMESTAMPTZ,
    content_hash        VARCHAR,
    signature           BLOB,
    config_fingerprint  VARCHAR NOT NULL
);
COMMENT ON TABLE minhash_signatures IS 'One row per deduplicated article: its MinHash signature under the config fingerprint, from which the in-memory LSH index is rebuilt for incremental dedup.';

CREATE TABLE IF NOT EXISTS sentences (
    sentence_hash     VARCHAR PRIMARY KEY,
    text              VARCHAR NOT NULL,
    first_article_id  VARCHAR,
    first_seen_run    VARCHAR
);
COMMENT ON TABLE sentences IS 'One row per distinct normalised sentence fingerprint, with the first text seen for it.';

CREATE TABLE IF NOT EXISTS article_sentences (
    article_id       VARCHAR NOT NULL,
    position         INTEGER NOT NULL,
    sentence_hash    VARCHAR NOT NULL,
    text             VARCHAR NOT NULL,
    repeated_within  INTEGER NOT NULL,  -- times the sentence occurs in this article (1 = not repeated)
    repeated_across  INTEGER NOT NULL,  -- other articles of other stories holding it when this one was loaded
    boilerplate      BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, position)
);
COMMENT ON TABLE article_sentences IS 'One row per sentence of an article, in order, with how often it repeats inside the article and across other stories, and whether it is the source''s boilerplate.';
