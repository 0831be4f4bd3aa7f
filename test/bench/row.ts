/** One printed line of `npm run bench`. */
export interface Row { name: string; value: string; note?: string }
