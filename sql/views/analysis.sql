-- Analysis views: recreated by every migrate (CREATE OR REPLACE), so they always match the code.

-- Every member of every story cluster, with its role.
CREATE OR REPLACE VIEW cluster_members AS
SELECT
    c.cluster_id,
    a.article_id,
    a.source,
    a.title,
    a.url,
    a.published_at,
    CASE WHEN a.article_id = s.canonical_article_id THEN 'canonical'
         ELSE coalesce(d.kind, 'near') END AS role,
    d.similarity,
    c.matched_article_id,
    s.size AS cluster_size
FROM article_clusters c
JOIN articles a USING (article_id)
JOIN story_clusters s USING (cluster_id)
LEFT JOIN article_duplicates d USING (article_id);

-- Story clusters with more than one member: the canonical article and its copies.
CREATE OR REPLACE VIEW story_cluster_view AS
SELECT
    s.cluster_id,
    s.size,
    s.sources,
    ca.source AS canonical_source,
    ca.title AS canonical_title,
    ca.url AS canonical_url,
    s.first_published_at,
    s.last_published_at,
    list(struct_pack(source := m.source, title := m.title, role := m.role,
                     similarity := round(m.similarity, 3), published_at := m.published_at)
         ORDER BY m.published_at NULLS LAST, m.article_id) AS members
FROM story_clusters s
JOIN articles ca ON ca.article_id = s.canonical_article_id
JOIN cluster_members m ON m.cluster_id = s.cluster_id
WHERE s.size > 1
GROUP BY ALL
ORDER BY s.first_published_at DESC NULLS LAST, s.cluster_id;

-- Which outlet's stories were carried by which other outlet, and how often.
CREATE OR REPLACE VIEW syndication_by_source AS
SELECT
    orig.source AS original_source,
    copy.source AS copy_source,
    count(*) AS copies,
    count(*) FILTER (WHERE d.kind = 'exact') AS exact_copies,
    round(avg(d.similarity), 3) AS avg_similarity,
    round(median(epoch(copy.published_at) - epoch(orig.published_at)) / 3600.0, 2) AS median_delay_hours
FROM article_duplicates d
JOIN articles copy ON copy.article_id = d.article_id
JOIN articles orig ON orig.article_id = d.duplicate_of
GROUP BY ALL
ORDER BY copies DESC, original_source, copy_source;

-- Sentences that repeat: inside one article, across stories, or as a source's boilerplate. Ties are
-- ordered by the sentence's hash, and a sentence whose copies differ in case or spacing shows its least
-- text: the order (and so a LIMIT's rows, the dashboard's top 15) and the text were whichever the
-- threads met first, and changed between two reads of the same snapshot.
CREATE OR REPLACE VIEW repeated_sentences AS
WITH per_sentence AS (
    SELECT
        s.sentence_hash,
        min(s.text) AS text,
        count(DISTINCT s.article_id) AS articles,
        count(DISTINCT c.cluster_id) AS stories,
        count(DISTINCT a.source) AS sources,
        max(s.repeated_within) AS max_within,
        bool_or(s.boilerplate) AS boilerplate
    FROM article_sentences s
    JOIN articles a USING (article_id)
    LEFT JOIN article_clusters c USING (article_id)
    GROUP BY s.sentence_hash
)
SELECT
    sentence_hash,
    text,
    articles,
    stories,
    sources,
    max_within,
    CASE WHEN boilerplate THEN 'boilerplate'
         WHEN stories > 1 THEN 'across'
         ELSE 'within' END AS scope
FROM per_sentence
WHERE max_within > 1 OR stories > 1
ORDER BY stories DESC, articles DESC, max_within DESC, sentence_hash;

-- Sentences repeated inside a single article (a quote printed twice, a pull quote).
CREATE OR REPLACE VIEW repeated_within_articles AS
SELECT a.article_id, a.source, a.title, s.text, s.repeated_within AS times, min(s.position) AS first_position
FROM article_sentences s JOIN articles a USING (article_id)
WHERE s.repeated_within > 1
GROUP BY ALL
ORDER BY a.article_id, first_position;

-- Per source: sentences that appear on a large share of its articles (navigation, sign-up lines, footers);
-- ties and texts decided as in repeated_sentences.
CREATE OR REPLACE VIEW boilerplate_by_domain AS
WITH totals AS (
    SELECT source, count(*) AS source_articles FROM articles WHERE clean_error IS NULL GROUP BY source
)
SELECT
    a.source,
    min(s.text) AS text,
    count(DISTINCT s.article_id) AS articles,
    any_value(t.source_articles) AS source_articles,
    round(count(DISTINCT s.article_id) / any_value(t.source_articles), 3) AS share
FROM article_sentences s
JOIN articles a USING (article_id)
JOIN totals t USING (source)
GROUP BY a.source, s.sentence_hash
HAVING bool_or(s.boilerplate) OR (count(DISTINCT s.article_id) >= 3
       AND count(DISTINCT s.article_id) / any_value(t.source_articles) >= 0.5)
ORDER BY a.source, articles DESC, s.sentence_hash;

-- Duplicate rate per day (of publication, UTC) and source.
CREATE OR REPLACE VIEW daily_duplicate_rate AS
SELECT
    CAST(timezone('UTC', coalesce(a.published_at, a.fetched_at)) AS DATE) AS day,
    a.source,
    count(*) AS articles,
    count(d.article_id) AS duplicates,
    count(*) FILTER (WHERE d.kind = 'exact') AS exact_duplicates,
    count(*) FILTER (WHERE d.kind = 'near') AS near_duplicates,
    round(count(d.article_id) / count(*), 3) AS duplicate_rate
FROM articles a
LEFT JOIN article_duplicates d USING (article_id)
WHERE a.clean_error IS NULL
GROUP BY ALL
ORDER BY day DESC, a.source;

-- The last runs, newest first.
CREATE OR REPLACE VIEW recent_runs AS
SELECT run_id, status, started_at, finished_at, sources, sources_failed, entries, new_urls,
       fetch_attempts, fetch_failed, articles_new, clean_failed, exact_duplicates, near_duplicates,
       repeated_within, repeated_across
FROM ingest_runs
ORDER BY started_at DESC, run_id;
