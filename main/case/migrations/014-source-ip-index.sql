-- Trailmark case file, schema 14: an index on the downloads' source address, so that a source-IP
-- filter (exact, prefix or CIDR) reads only the matching rows rather than walking the whole time index
-- when matches are rare. Kept in (time, id) order within an address, as the timeline pages. Deferred
-- and rebuilt with the other wide download indexes by a bulk derivation (main/case/bulk.ts).
CREATE INDEX downloads_source_ip ON downloads (source_ip, time, id);
