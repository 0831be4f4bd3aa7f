-- Trailmark case file, schema 19: a block of raw records may be stored compressed by Brotli (RFC 7932,
-- zlib's brotliCompress at quality 1) instead of raw DEFLATE. On access-log text it compresses about
-- twice as fast as DEFLATE's fastest level, a little smaller, and reads back faster: the compression
-- was a quarter of an access-log import's parse thread, the import's busiest. raw_at and raw_len count
-- in the decompressed text; the row digest is over the records' text, never the stored bytes.
-- Earlier blocks stay as they were (gzip or deflate).
ALTER TABLE raw_blocks ADD COLUMN brotli INTEGER NOT NULL DEFAULT 0;  -- 1: bytes is the records' text compressed by Brotli
