// Conditions on the download ledger (aliased `downloads`) for its actor and its object, which it names
// by ids into its dictionaries (ledger_actors, ledger_objects; migration 017). A condition on the
// actor's or the object's text is tested once per dictionary entry, never per download: the matching
// ids are listed once per query (`actorIds`, `objectIds`) and the ledger's column is compared with
// them, through its index (an equality or an IN), or, `objectIs`, row by row along the walk the page
// takes (`+` keeps SQLite off the object index: a bucket, a substring of keys may match most rows).
// A key substring over 425k downloads of 5,000 objects: a page 18 ms, a whole scan 40 ms, where
// probing each row's object in the dictionary took 40 and 138.
import { sql, type Sql } from './sql';

/** The ids of the actors `cond` (on `actor`) holds for. */
export const actorIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_actors WHERE ${cond})`;
/** The ids of the objects `cond` (on `bucket`, `key`) holds for. */
export const objectIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_objects WHERE ${cond})`;
/** `cond` (on `bucket`, `key`) of each row's object, tested along the walk (the object index not used). */
export const objectIs = (cond: Sql): Sql => sql`+object_id IN ${objectIds(cond)}`;
