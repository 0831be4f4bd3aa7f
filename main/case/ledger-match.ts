// Conditions on the download ledger (aliased `downloads`) for its actor and its object, which it names
// by ids into its dictionaries (ledger_actors, ledger_objects; migration 017). A condition on the
// actor's or the object's text becomes one of two shapes, chosen for the walk the page should take:
// - the matching ids, found in the dictionary once per query (`actorIds`, `objectIds`): an equality or
//   an IN on the ledger's column, which its index answers (`+` in front keeps SQLite off that index);
// - the row's own value, looked up by its id in the dictionary (`objectIs`): one rowid probe
//   per row the walk meets, for matches too broad or too many to list (a bucket, a substring of keys).
import { sql, type Sql } from './sql';

/** The ids of the actors `cond` (on `actor`) holds for. */
export const actorIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_actors WHERE ${cond})`;
/** The ids of the objects `cond` (on `bucket`, `key`) holds for. */
export const objectIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_objects WHERE ${cond})`;
/** `cond` (on `bucket`, `key`) of each row's object. */
export const objectIs = (cond: Sql): Sql => sql`(SELECT ${cond} FROM ledger_objects WHERE ledger_objects.id = downloads.object_id)`;
