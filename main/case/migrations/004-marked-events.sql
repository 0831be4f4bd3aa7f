-- Trailmark case file, schema 4: the events that analysis reads in full — configuration changes
-- (ACLs, policies, public access blocks, logging) and STS / sign-in events — are listed by the import
-- writer as it stores them. They were found through two partial indexes on events instead, whose
-- conditions every stored event was tested against: about a quarter of an event's insert, measured.
CREATE TABLE marked_events (
  mark TEXT NOT NULL,     -- the configuration kind ('acl-change', …, 'logging-change'), or 'identity'
  time INTEGER NOT NULL,
  id   INTEGER NOT NULL REFERENCES events (id),
  PRIMARY KEY (mark, time, id)
) WITHOUT ROWID;

INSERT INTO marked_events (mark, time, id)
  SELECT kind, time, id FROM events WHERE kind IN ('acl-change', 'policy-change', 'public-access-change', 'logging-change');
INSERT INTO marked_events (mark, time, id)
  SELECT 'identity', time, id FROM events
  WHERE action IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin');

DROP INDEX events_config;
DROP INDEX events_identity;
