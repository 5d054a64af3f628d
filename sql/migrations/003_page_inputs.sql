-- 003: what a reclean (and a re-fetched revision) needs to build an article record the way ingest
-- built it: besides the raw bytes and the Content-Type already kept in raw_pages, the title and date
-- the feed or sitemap entry gave (they fill in what the page does not say), and why a date that came
-- with the article was ignored (year 1, 9999, the future). Idempotent.

ALTER TABLE raw_pages ADD COLUMN IF NOT EXISTS entry_title VARCHAR;
ALTER TABLE raw_pages ADD COLUMN IF NOT EXISTS entry_published_at TIMESTAMPTZ;
ALTER TABLE raw_pages ADD COLUMN IF NOT EXISTS entry_date_note VARCHAR;
COMMENT ON COLUMN raw_pages.content_type IS 'The Content-Type the page came with (HTTP or WARC header; for a dir source, text/html with its declared charset): its charset decodes the raw bytes.';
COMMENT ON COLUMN raw_pages.entry_title IS 'The title the feed or sitemap entry gave the page (NULL when the source listed none): the article title when the page has none.';
COMMENT ON COLUMN raw_pages.entry_published_at IS 'The date the feed or sitemap entry gave the page, when plausible: the published time when the page has none.';
COMMENT ON COLUMN raw_pages.entry_date_note IS 'Why a date the entry gave was ignored (implausible: before 1995, in the future), as the source sent it.';

ALTER TABLE articles ADD COLUMN IF NOT EXISTS date_note VARCHAR;
COMMENT ON COLUMN articles.date_note IS 'Why a date offered for the article (feed or sitemap entry, the page''s JSON-LD or meta tags, a WARC record) was ignored; NULL when none was. An ignored date is no date: published_at stays NULL unless another source gives a plausible one.';
