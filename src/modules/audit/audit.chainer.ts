/**
 * The chainer links committed audit records into the hash chain, in batches, shortly after they
 * commit. Requests only INSERT their records (audit.service.ts), so no request waits on another's
 * audit record; the chain's order is the order records were seen committed, and its positions are
 * gap-free.
 *
 * Every service process runs one, each batch in one transaction that first takes a PostgreSQL
 * advisory lock (`pg_try_advisory_xact_lock`): whichever process holds it chains, exactly one at a
 * time, and if it dies mid-batch its transaction rolls back and the next one to try takes over.
 * A process wakes its chainer after each of its own commits (the pass starts `WAKE_COALESCE_MS`
 * later, for every record committed by then) and polls every `AUDIT_CHAIN_INTERVAL_MS` for the
 * records of the others. (Not `NOTIFY` from the writing
 * transaction: PostgreSQL serializes the commits of notifying transactions on one global lock,
 * which is the queue this design removes.)
 *
 * Each record's MAC is checked before it is linked: one inserted or edited without the audit key
 * is never chained, it is logged and stays behind for `auditIntegrity` to report.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { hashPayload } from './audit.hash';
import { type AuditKeys, CHAINED_VERSION, linkHash, recordMac, sameDigest } from './audit.key';
import { rowToAudit } from './audit.service';
import { contentOf } from './audit.verify';

/** The advisory lock key of the chainer ('EPAUDIT' in ASCII); every service process uses it. */
export const CHAIN_LOCK_KEY = '19510014926670164';
/** Records linked per transaction. */
const BATCH = 500;
/**
 * How long a wake waits before its pass, so that one pass links every record committed meanwhile.
 * A pass is about eight statements; woken by every commit, a busy process would spend more on
 * chaining its identity reads than on answering them.
 */
export const WAKE_COALESCE_MS = 50;

export interface ChainStep {
  /** False when another chainer held the lock: nothing was done. */
  locked: boolean;
  chained: number;
  /** Records left behind because their MAC does not verify (insertion numbers). */
  refused: string[];
  /** A full batch: more may be waiting. */
  more: boolean;
}

/**
 * One batch: the committed records not yet chained (but `skip`), oldest insertion first, each
 * linked to the one before, and the head moved with them (by the `audit_log_chain_step` trigger,
 * which refuses any other change).
 */
export async function chainStep(
  dataSource: DataSource,
  keys: AuditKeys,
  skip: ReadonlySet<string> = new Set(),
): Promise<ChainStep> {
  return dataSource.transaction(async (m) => {
    const [{ locked }] = (await m.query(
      `SELECT pg_try_advisory_xact_lock(${CHAIN_LOCK_KEY}) AS locked`,
    )) as { locked: boolean }[];
    if (!locked) return { locked, chained: 0, refused: [], more: false };
    const [head] = (await m.query(
      `SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`,
    )) as { last_seq: string; last_hash: string }[];
    if (!head) throw new Error('audit_chain_head is missing: migrations not applied?');
    const rows = (await m.query(
      `SELECT * FROM audit_log WHERE seq IS NULL AND NOT (insertion = ANY($1::bigint[]))
        ORDER BY insertion LIMIT $2`,
      [[...skip], BATCH],
    )) as Record<string, unknown>[];
    let seq = BigInt(head.last_seq);
    let prev = head.last_hash;
    const links = { insertions: [] as string[], seqs: [] as string[], prevs: [] as string[] };
    const hashes: string[] = [];
    const refused: string[] = [];
    for (const row of rows) {
      const a = rowToAudit(row);
      const payload = hashPayload(contentOf(a));
      const mac = recordMac(keys, a.insertion, payload);
      if (a.keyVersion !== CHAINED_VERSION || a.mac === null || !sameDigest(a.mac, mac)) {
        refused.push(a.insertion);
        continue;
      }
      seq += 1n;
      const hash = linkHash(keys, CHAINED_VERSION, prev, seq.toString(), payload, a.insertion)!;
      links.insertions.push(a.insertion);
      links.seqs.push(seq.toString());
      links.prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    if (hashes.length) {
      await m.query(`SELECT audit_chain_link($1::bigint[], $2::bigint[], $3::text[], $4::text[])`, [
        links.insertions,
        links.seqs,
        links.prevs,
        hashes,
      ]);
    }
    return { locked, chained: hashes.length, refused, more: rows.length === BATCH };
  });
}

export interface AuditChainer {
  /** A record committed: chain soon (passes coalesce; never throws). */
  wake(): void;
  /**
   * Resolves once everything committed before the call is chained (waiting for another process's
   * chainer if it holds the lock), or fails after `timeoutMs`; tests and scripts.
   */
  chainNow(timeoutMs?: number): Promise<void>;
  /** Stops the poll after a last pass. */
  stop(): Promise<void>;
}

export function startChainer(options: {
  /** Its own connection on a real PostgreSQL; the service's one-connection pool when embedded. */
  dataSource: DataSource;
  keys: AuditKeys;
  log: Logger;
  intervalMs: number;
}): AuditChainer {
  const { dataSource, keys, log } = options;
  /** Refused records (bad MAC): reported once, not re-read on every pass. */
  const refused = new Set<string>();
  let lastProblem = '';

  /**
   * Chains until nothing is left; false if another chainer held the lock. A poll first asks
   * whether anything waits (one statement instead of a transaction); a wake knows something does.
   */
  async function drain(look: boolean): Promise<boolean> {
    for (;;) {
      if (look) {
        const [{ any }] = (await dataSource.query(
          `SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq IS NULL
                           AND NOT (insertion = ANY($1::bigint[]))) AS any`,
          [[...refused]],
        )) as { any: boolean }[];
        if (!any) return true;
      }
      look = true;
      const step = await chainStep(dataSource, keys, refused);
      if (!step.locked) return false;
      for (const insertion of step.refused) {
        refused.add(insertion);
        log.error(
          { insertion },
          'audit record not chained: its MAC does not verify (inserted or changed without the audit key)',
        );
      }
      if (!step.more) return true;
    }
  }

  // One pass at a time; a pass not yet started serves every wake until it starts. A pass is
  // true when it chained everything, false when another chainer held the lock, or its error.
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<boolean | Error> | null = null;
  let stopped = false;
  /** A queued pass looks first unless a wake asked for it. */
  let looks = true;
  function schedule(look = true): Promise<boolean | Error> {
    if (!look) looks = false;
    if (queued) return queued;
    const pass = tail.then(async () => {
      queued = null;
      const look = looks;
      looks = true;
      try {
        const done = await drain(look);
        lastProblem = '';
        return done;
      } catch (err) {
        // Once per distinct problem (a database outage would otherwise log every interval).
        const problem = err instanceof Error ? err.message : String(err);
        if (problem !== lastProblem) log.warn({ err }, 'audit chaining failed; retrying');
        lastProblem = problem;
        return err instanceof Error ? err : new Error(problem);
      }
    });
    queued = pass;
    tail = pass;
    return pass;
  }

  const timer = setInterval(() => void schedule(), options.intervalMs);
  timer.unref();
  let waking: NodeJS.Timeout | null = null;
  return {
    wake() {
      if (stopped || waking) return;
      waking = setTimeout(() => {
        waking = null;
        if (!stopped) void schedule(false);
      }, WAKE_COALESCE_MS);
    },
    async chainNow(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const done = await schedule();
        if (done instanceof Error) throw done;
        if (done) return;
        if (Date.now() > until) throw new Error('another chainer held the audit chain too long');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (waking) clearTimeout(waking);
      await schedule();
    },
  };
}
