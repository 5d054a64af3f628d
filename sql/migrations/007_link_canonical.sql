-- 007: the canonical URL an HTTP `Link: <...>; rel="canonical"` header named (RFC 6596 §3), kept beside the
-- raw page: it is the page's canonical claim when its markup makes none (a PDF, an AMP copy served with the
-- header), so a reclean and a re-fetched revision build the record ingest built. Idempotent.

ALTER TABLE raw_pages ADD COLUMN IF NOT EXISTS link_canonical VARCHAR;
COMMENT ON COLUMN raw_pages.link_canonical IS 'The target of the response''s Link rel="canonical" header, absolute (NULL when none): the page''s canonical claim when its markup makes none, trusted under the same rules (its own site, not the home page).';
