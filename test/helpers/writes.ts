/**
 * Did anything commit a write since a mark? A cheaper check than `fingerprint` (which digests every
 * row of every table), for tests that ask it thousands of times, and as sound for committed rows:
 * an insert or an update leaves a visible row version whose `xmin` is the writing transaction,
 * which got its id after the mark (ids are handed out in order, at a transaction's first write); a
 * delete lowers the table's row count (a delete plus an insert in the same table shows the insert).
 * Writes rolled back leave nothing visible. One statement each way, over every table but the
 * migrations log and the rate-limit counters (as `fingerprint`). Both wait for the audit chainer
 * first, so that its links of earlier records do not count as writes.
 */
import type { TestServer } from './server';

export interface WriteMark {
  /** The first transaction id not yet handed out, modulo 2^32 (as `xmin` stores it). */
  nextXid: number;
  counts: Record<string, number>;
}

export interface WriteCheck {
  mark(): Promise<WriteMark>;
  /**
   * Tables with rows committed since the mark, or fewer rows ('table: n → m'); empty if none.
   * `next` is a mark taken at the same instant, for a caller that goes on to the next call.
   */
  changedSince(mark: WriteMark): Promise<{ changed: string[]; next: WriteMark }>;
}

export async function writeCheck(server: TestServer): Promise<WriteCheck> {
  const tables = (
    await server.sql<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'rate_limits') ORDER BY 1`,
    )
  ).map((t) => t.name);
  const counts = tables.map((t, i) => `(SELECT count(*) FROM "${t}")::int AS c${i}`).join(', ');
  // xmin >= $1 in the circular order of 32-bit transaction ids; 0–2 are the special ids.
  const newer = tables
    .map(
      (t, i) =>
        `(SELECT count(*) FROM "${t}" WHERE xmin::text::bigint > 2 AND (xmin::text::bigint - $1 + 4294967296) % 4294967296 < 2147483648)::int AS w${i}`,
    )
    .join(', ');
  const next = `(pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::int8 AS next`;
  const markOf = (row: Record<string, number | string>): WriteMark => ({
    nextXid: Number(row.next),
    counts: Object.fromEntries(tables.map((t, i) => [t, Number(row[`c${i}`])])),
  });
  return {
    async mark() {
      await server.chained();
      const [row] = await server.sql<Record<string, number | string>>(`SELECT ${next}, ${counts}`);
      return markOf(row);
    },
    async changedSince(mark) {
      // The chainer's links of records committed before are not the call's writes.
      await server.chained();
      const [row] = await server.sql<Record<string, number>>(
        `SELECT ${next}, ${counts}, ${newer}`,
        [mark.nextXid],
      );
      const changed: string[] = [];
      tables.forEach((t, i) => {
        const written = Number(row[`w${i}`]);
        const count = Number(row[`c${i}`]);
        if (written > 0) changed.push(`${t}: ${written} row(s) written`);
        else if (count !== mark.counts[t]) changed.push(`${t}: ${mark.counts[t]} → ${count} rows`);
      });
      return { changed, next: markOf(row) };
    },
  };
}
