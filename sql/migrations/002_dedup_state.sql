-- 002: the dedup state that lets a run seed only the stored articles its new ones can match, so adding
-- 1,000 articles costs time in proportion to the 1,000, not to the window. Idempotent.

-- Exact verification needs the shingles (32-bit hashes, little-endian, in sentence order) and how many
-- belong to each sentence (a sentence that became a source's boilerplate is dropped before comparing);
-- the sentence hashes (the same values as article_sentences.sentence_hash, as integers) rebuild the
-- sentence index without reading article_sentences. NULL on rows loaded before this migration: those
-- are seeded in full, the way they were before, until they leave the window.
ALTER TABLE minhash_signatures ADD COLUMN IF NOT EXISTS shingles BLOB;
ALTER TABLE minhash_signatures ADD COLUMN IF NOT EXISTS shingle_counts INTEGER[];
ALTER TABLE minhash_signatures ADD COLUMN IF NOT EXISTS sentence_hashes UBIGINT[];

CREATE TABLE IF NOT EXISTS lsh_bands (
    band        INTEGER NOT NULL,   -- 0 .. b-1 of the config's LSH (b, r)
    key         UBIGINT NOT NULL,   -- 64-bit hash of the band's r MinHash values, band number mixed in
    article_id  VARCHAR NOT NULL
);
COMMENT ON TABLE lsh_bands IS 'One row per article and MinHash-LSH band: the band key, so the stored articles sharing a band with a new one (its LSH candidates) are found with a join instead of rebuilding the index from every signature. Rows of articles whose signature left the window are ignored (joined through minhash_signatures).';
