-- Trailmark case file, schema 6: a block of raw records may be a small gzip evidence file itself, as
-- delivered (a CloudTrail trail file), its events pointing into its inflated text. It is about a tenth
-- of its records' text to write and keep, and the case then holds that evidence byte for byte.
ALTER TABLE raw_blocks ADD COLUMN gzip INTEGER NOT NULL DEFAULT 0;  -- 1: bytes is gzip; raw_at and raw_len count in its inflated bytes
