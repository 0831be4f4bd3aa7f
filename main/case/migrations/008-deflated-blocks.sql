-- Trailmark case file, schema 8: a block of raw records may be stored compressed by raw DEFLATE
-- (RFC 1951, zlib's deflateRaw). Access-log text shrinks about 6×: the raw blocks were most of an
-- access-log case (400k lines: 222 of 506 MB). raw_at and raw_len count in the inflated text; the row
-- digest is over the records' text, never the stored bytes. Earlier blocks stay as they were.
ALTER TABLE raw_blocks ADD COLUMN deflate INTEGER NOT NULL DEFAULT 0;  -- 1: bytes is the records' text deflated
