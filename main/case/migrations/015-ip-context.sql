-- Trailmark case file, schema 15: what is known about each distinct source address of the case
-- (main/enrich): country, ASN and network name from the shipped IP databases, AWS service and region
-- from AWS's published ranges, or a label for values that are not addresses (an AWS service acting
-- for a principal, "AWS Internal", a VPC endpoint). Derived: a function of events.source_ip and the
-- dated data named in source_date; filled after each import for new addresses only, and rebuilt by
-- main/case/ip-context.ts (rebuildIpContext) when the data change.
CREATE TABLE ip_context (
  ip          TEXT PRIMARY KEY,      -- the source value as logged
  kind        TEXT NOT NULL,         -- shared/enrich.ts AddressKind
  country     TEXT,                  -- ISO 3166 alpha-2; NULL: unknown
  asn         INTEGER,               -- NULL: unknown
  org         TEXT,                  -- network name registered for the ASN
  aws_service TEXT,                  -- inside AWS's ranges: EC2, S3, CLOUDFRONT… (AMAZON: AWS, no service named)
  aws_region  TEXT,
  label       TEXT NOT NULL,         -- one line for people
  source_date TEXT NOT NULL          -- "IP data as of …; AWS ranges as of …"
) WITHOUT ROWID;
CREATE INDEX ip_context_country ON ip_context (country);
CREATE INDEX ip_context_asn ON ip_context (asn);
