/** Seconds since `t0` (a process.hrtime.bigint() reading): the benches' one timer. */
export const secondsSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
