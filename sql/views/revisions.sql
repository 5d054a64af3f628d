-- Revision views (migration 006): how articles change after they were first seen. Recreated by every
-- migrate (CREATE OR REPLACE), like analysis.sql.

-- Every headline change: the title before and after, when the new one was fetched, and how long after
-- the article was first seen.
CREATE OR REPLACE VIEW headline_changes AS
SELECT
    r.article_id,
    a.source,
    p.title AS old_title,
    r.title AS new_title,
    r.fetched_at AS changed_at,
    round((epoch(r.fetched_at) - epoch(a.fetched_at)) / 60.0, 1) AS minutes_after_first_seen,
    r.revision
FROM article_revisions r
JOIN article_revisions p ON p.article_id = r.article_id AND p.revision = r.revision - 1
JOIN articles a ON a.article_id = r.article_id
WHERE r.title_changed
ORDER BY changed_at DESC, r.article_id;

-- Per article: how many versions, when the first and the latest were fetched, when it was last
-- re-checked, and how many words and headlines changed over all its revisions.
CREATE OR REPLACE VIEW revision_history AS
SELECT
    a.article_id,
    a.source,
    a.title,
    a.url,
    count(*) AS revisions,
    min(r.fetched_at) AS first_fetched_at,
    max(r.fetched_at) AS last_fetched_at,
    any_value(c.last_checked_at) AS last_checked_at,
    coalesce(any_value(c.checks), 0) AS rechecks,
    count(*) FILTER (WHERE r.title_changed) AS headline_changes,
    coalesce(sum(r.words_added), 0) AS words_added,
    coalesce(sum(r.words_removed), 0) AS words_removed,
    coalesce(sum(r.words_added), 0) + coalesce(sum(r.words_removed), 0) AS words_changed,
    a.gone_at
FROM articles a
JOIN article_revisions r USING (article_id)
LEFT JOIN article_checks c USING (article_id)
GROUP BY a.article_id, a.source, a.title, a.url, a.gone_at
ORDER BY revisions DESC, last_fetched_at DESC, a.article_id;

-- Per source and day the articles were first seen (UTC): how many are followed (re-checkable), and the
-- share of those revised since, with headline changes and pages gone.
CREATE OR REPLACE VIEW daily_revision_rate AS
SELECT
    CAST(timezone('UTC', a.fetched_at) AS DATE) AS day,
    a.source,
    count(*) AS articles,
    count(c.article_id) AS followed,
    count(*) FILTER (WHERE a.revision > 1) AS revised,
    count(*) FILTER (WHERE a.article_id IN (SELECT article_id FROM article_revisions WHERE title_changed))
        AS headline_changed,
    count(*) FILTER (WHERE a.gone_at IS NOT NULL) AS gone,
    round(count(*) FILTER (WHERE a.revision > 1) / greatest(count(c.article_id), 1), 3) AS revised_share
FROM articles a
LEFT JOIN article_checks c USING (article_id)
WHERE a.fetched_at IS NOT NULL
GROUP BY ALL
ORDER BY day DESC, a.source;
