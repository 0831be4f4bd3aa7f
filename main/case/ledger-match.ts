// Conditions on the download ledger (aliased `downloads`) for its actor and its object, which it names
// by ids into its dictionaries (ledger_actors, ledger_objects; migration 017). A condition on the
// actor's or the object's text takes one of three shapes, chosen for the walk the page should take:
// - the matching ids listed once per query (`actorIds`, `objectIds`) and the ledger's column compared
//   with them through its index (an equality, or an IN whose matches are then sorted);
// - the same list tested along the time walk (`objectIn`; `+` keeps SQLite off the object index): the
//   text is matched once per object, not once per download (a key substring over 425k downloads of
//   5,000 objects: a page 9 ms, a whole scan 25 ms, where probing each row's object took 40 and 138);
// - each row's object probed by its id (`objectProbe`): for a bucket, which usually holds most rows,
//   so a page is found after a few probes instead of after listing every object of the bucket (an
//   in-exposure page: 0.9 ms against 6 ms for the list).
import { raw, sql, type Sql } from './sql';

/** The ids of the actors `cond` (on `actor`) holds for. */
export const actorIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_actors WHERE ${cond})`;
/** The ids of the objects `cond` (on `bucket`, `key`) holds for. */
export const objectIds = (cond: Sql): Sql => sql`(SELECT id FROM ledger_objects WHERE ${cond})`;
/** `cond` (on `bucket`, `key`) of each row's object, the objects matched once, the object index not used. */
export const objectIn = (cond: Sql): Sql => sql`+object_id IN ${objectIds(cond)}`;
/** `cond` (on `bucket`, `key`) of each row's object, probed row by row. */
export const objectProbe = (cond: Sql): Sql => sql`(SELECT ${cond} FROM ledger_objects WHERE ledger_objects.id = downloads.object_id)`;

/**
 * A field the `downloads` view reads from a download's events (the access log's first, as the view
 * reads it), for a query on the ledger alone, where the view's column name would bind to nothing or,
 * inside a subquery, to an outer row.
 */
export const eventField = (column: 'user_agent' | 'bytes_sent'): Sql => {
  const c = raw(column);
  return sql`coalesce((SELECT e.${c} FROM events e WHERE e.id = downloads.s3_event_id), (SELECT e.${c} FROM events e WHERE e.id = downloads.ct_event_id))`;
};

/**
 * A coded field of a download's events (a terms.id, migration 018), read from the coded rows as
 * eventField reads the text: a condition on a few texts compares ids, each row's text not decoded
 * (a tool's agents tested on 425k downloads: 580 -> 520 ms).
 */
export const eventTermId = (column: 'user_agent'): Sql => {
  const c = raw(column);
  return sql`coalesce((SELECT e.${c} FROM event_rows e WHERE e.id = downloads.s3_event_id), (SELECT e.${c} FROM event_rows e WHERE e.id = downloads.ct_event_id))`;
};
