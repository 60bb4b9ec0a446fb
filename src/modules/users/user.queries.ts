/**
 * What statements of other modules ask of the users in their own round trip: only this module
 * names `users` in SQL (test/architecture/table-ownership.test.ts).
 */

/** The user whose id is `userId` (a column of the outer statement), joined as `alias`, if any. */
export const userJoin = (alias: string, userId: string): string =>
  `LEFT JOIN users ${alias} ON ${alias}.id = ${userId}`;
