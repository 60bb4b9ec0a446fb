/**
 * Verifying the chain: every record's link hash re-derived from its stored content (keyed with the
 * audit key, or unkeyed for the records written before the key existed), every link, the gap-free
 * sequence, the head row, and the latest signed checkpoint kept outside the database; and the
 * records not chained yet: how many, since when, and whether each one's MAC verifies.
 */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { readCheckpoints, type SignedCheckpoint } from './audit.checkpoints';
import { type AuditContent, GENESIS_HASH, hashPayload } from './audit.hash';
import {
  type AuditKeys,
  CHAINED_VERSION,
  KEYED_VERSION,
  linkHash,
  recordMac,
  sameDigest,
  UNKEYED_VERSION,
} from './audit.key';
import { rowToAudit } from './audit.service';

export interface SegmentResult {
  ok: boolean;
  /** Records verified (up to and including the first broken one). */
  checked: number;
  /** The last intact record (the start when there is none). */
  lastSeq: bigint;
  lastHash: string;
  firstBrokenId: string | null;
  problem: string | null;
}

const VERIFY_BATCH = 5000;

/**
 * Verifies the chained records after `from` (up to `toSeq` when given). Unkeyed records are
 * accepted only up to `unkeyedUpTo` and only before the first keyed one, and records of key version
 * 1 only before the first of version 2: the chain cannot be downgraded.
 */
export async function verifySegment(
  manager: EntityManager,
  keys: AuditKeys,
  from: { seq: bigint; hash: string },
  opts: { toSeq?: bigint; unkeyedUpTo: bigint },
): Promise<SegmentResult> {
  let prevHash = from.hash;
  let prevSeq = from.seq;
  let checked = 0;
  let keyedSeen = false;
  let chainedSeen = false;
  const broken = (seq: string, problem: string): SegmentResult => ({
    ok: false,
    checked: checked + 1,
    lastSeq: prevSeq,
    lastHash: prevHash,
    firstBrokenId: seq,
    problem,
  });
  for (;;) {
    const rows = (await manager.query(
      `SELECT * FROM audit_log WHERE seq > $1 ${opts.toSeq === undefined ? '' : 'AND seq <= $3'}
        ORDER BY seq LIMIT $2`,
      opts.toSeq === undefined
        ? [prevSeq.toString(), VERIFY_BATCH]
        : [prevSeq.toString(), VERIFY_BATCH, opts.toSeq.toString()],
    )) as Record<string, unknown>[];
    for (const row of rows) {
      const a = rowToAudit(row);
      const at = a.seq!;
      const seq = BigInt(at);
      // A gap means a row was deleted: the first row after it is where the chain breaks.
      if (seq !== prevSeq + 1n) {
        return broken(at, `record ${prevSeq + 1n} is missing (the next one is ${at})`);
      }
      if (a.keyVersion === UNKEYED_VERSION && (keyedSeen || seq > opts.unkeyedUpTo)) {
        return broken(at, `record ${at} has an unkeyed hash where the chain is keyed`);
      }
      if (a.keyVersion === KEYED_VERSION && chainedSeen) {
        return broken(at, `record ${at} has key version 1 where the chain is at version 2`);
      }
      const payload = hashPayload(contentOf(a));
      const expected = linkHash(keys, a.keyVersion, prevHash, at, payload, a.insertion);
      if (expected === undefined) {
        return broken(at, `record ${at} has an unknown key version ${a.keyVersion}`);
      }
      if (
        a.prevHash !== prevHash ||
        !sameDigest(a.hash ?? '', expected) ||
        (a.keyVersion === CHAINED_VERSION &&
          !sameDigest(a.mac ?? '', recordMac(keys, a.insertion, payload)))
      ) {
        return broken(
          at,
          `record ${at} does not match its hash: it, or the link to the record before it, was changed`,
        );
      }
      keyedSeen ||= a.keyVersion !== UNKEYED_VERSION;
      chainedSeen ||= a.keyVersion === CHAINED_VERSION;
      checked += 1;
      prevHash = a.hash!;
      prevSeq = seq;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  if (opts.toSeq !== undefined && prevSeq < opts.toSeq) {
    return {
      ok: false,
      checked,
      lastSeq: prevSeq,
      lastHash: prevHash,
      firstBrokenId: (prevSeq + 1n).toString(),
      problem: `records ${prevSeq + 1n} to ${opts.toSeq} are missing`,
    };
  }
  return {
    ok: true,
    checked,
    lastSeq: prevSeq,
    lastHash: prevHash,
    firstBrokenId: null,
    problem: null,
  };
}

export function contentOf(a: ReturnType<typeof rowToAudit>): AuditContent {
  return {
    occurredAt: a.occurredAt.toISOString(),
    kind: a.kind,
    actorId: a.actorId,
    actorRole: a.actorRole,
    actorOfficeId: a.actorOfficeId,
    operation: a.operation,
    recordType: a.recordType,
    recordIds: a.recordIds,
    officeIds: a.officeIds,
    reason: a.reason,
    change: a.change ?? null,
    requestId: a.requestId,
  };
}

export interface ChainHead {
  seq: bigint;
  hash: string;
}

export async function readHead(manager: EntityManager): Promise<ChainHead | undefined> {
  const [head] = (await manager.query(
    `SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1`,
  )) as { last_seq: string; last_hash: string }[];
  return head ? { seq: BigInt(head.last_seq), hash: head.last_hash } : undefined;
}

export interface IntegrityResult extends PendingRecords {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  problems: string[];
  checkpointSeq: string | null;
  checkpointAt: Date | null;
  chainedThrough: string | null;
}

/**
 * The whole chain from genesis, the head row, the latest checkpoint, and the records not chained
 * yet, all in one snapshot (the chainer moves on meanwhile): a log that ends before the checkpoint
 * lost records (truncation, reset to genesis); a record at the checkpoint's position with another
 * hash means the chain was rebuilt; a record waiting to be chained without a valid MAC was
 * inserted or changed by someone without the audit key.
 */
export function verifyAuditChain(ctx: RequestContext): Promise<IntegrityResult> {
  return ctx.deps.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await ctx.deadline?.bound(manager);
    return verifyInSnapshot(ctx.forTransaction(manager));
  });
}

async function verifyInSnapshot(ctx: RequestContext): Promise<IntegrityResult> {
  const { auditKeys: keys, checkpointSink: sink } = ctx.deps;
  const log = sink
    ? await readCheckpoints(sink, keys)
    : { checkpoints: [] as SignedCheckpoint[], problems: ['no checkpoint sink is configured'] };
  const problems = [...log.problems];
  const first = log.checkpoints[0];
  const latest = log.checkpoints[log.checkpoints.length - 1];
  const segment = await verifySegment(
    ctx.manager,
    keys,
    { seq: 0n, hash: GENESIS_HASH },
    // Before any checkpoint (an upgraded database), its unkeyed prefix is all there is to go on.
    { unkeyedUpTo: first ? BigInt(first.seq) : BigInt(Number.MAX_SAFE_INTEGER) },
  );
  let firstBrokenId = segment.firstBrokenId;
  if (segment.problem) problems.push(segment.problem);
  const head = await readHead(ctx.manager);
  if (segment.ok) {
    if (!head || head.seq !== segment.lastSeq || head.hash !== segment.lastHash) {
      // Rows past the last intact one were removed (or the head was tampered with).
      firstBrokenId = (segment.lastSeq + 1n).toString();
      problems.push(
        `the chain head (seq ${head?.seq ?? 'missing'}) is not the last record (seq ${segment.lastSeq})`,
      );
    }
  }
  if (latest) {
    const cpSeq = BigInt(latest.seq);
    const [row] = (await ctx.manager.query(`SELECT hash FROM audit_log WHERE seq = $1`, [
      latest.seq,
    ])) as { hash: string }[];
    const hashThere = cpSeq === 0n ? GENESIS_HASH : row?.hash;
    if (hashThere === undefined) {
      firstBrokenId ??= (segment.lastSeq + 1n).toString();
      problems.push(
        `records are missing: the checkpoint of ${latest.at} recorded seq ${latest.seq}, the log has no record ${latest.seq}`,
      );
    } else if (!sameDigest(hashThere, latest.hash)) {
      firstBrokenId ??= latest.seq;
      problems.push(
        `record ${latest.seq} is not the one checkpointed at ${latest.at}: the chain was rebuilt`,
      );
    }
  }
  const pending = await pendingRecords(ctx.manager, keys);
  problems.push(...pending.problems);
  return {
    ok: problems.length === 0,
    checked: segment.checked,
    firstBrokenId,
    problems,
    checkpointSeq: latest?.seq ?? null,
    checkpointAt: latest ? new Date(latest.at) : null,
    chainedThrough: head ? head.seq.toString() : null,
    pendingRecords: pending.pendingRecords,
    oldestPendingAt: pending.oldestPendingAt,
  };
}

export interface PendingRecords {
  /** Committed records the chainer has not linked yet. */
  pendingRecords: number;
  /** When the oldest of them happened. */
  oldestPendingAt: Date | null;
}

/** Problems listed one by one, then counted. */
const LISTED_PROBLEMS = 20;

/** The records not chained yet: each one's MAC must verify (the chainer refuses those that do not). */
export async function pendingRecords(
  manager: EntityManager,
  keys: AuditKeys,
): Promise<PendingRecords & { problems: string[] }> {
  let after = '0';
  let count = 0;
  let oldest: Date | null = null;
  const bad: string[] = [];
  for (;;) {
    const rows = (await manager.query(
      `SELECT * FROM audit_log WHERE seq IS NULL AND insertion > $1 ORDER BY insertion LIMIT $2`,
      [after, VERIFY_BATCH],
    )) as Record<string, unknown>[];
    for (const row of rows) {
      const a = rowToAudit(row);
      count += 1;
      if (!oldest || a.occurredAt < oldest) oldest = a.occurredAt;
      const mac = recordMac(keys, a.insertion, hashPayload(contentOf(a)));
      if (a.keyVersion !== CHAINED_VERSION || a.mac === null || !sameDigest(a.mac, mac)) {
        bad.push(a.insertion);
      }
      after = a.insertion;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const problems = bad
    .slice(0, LISTED_PROBLEMS)
    .map(
      (insertion) =>
        `record ${insertion} (inserted, not chained) has no valid MAC: it was inserted or changed without the audit key`,
    );
  if (bad.length > LISTED_PROBLEMS) {
    problems.push(`${bad.length - LISTED_PROBLEMS} more records have no valid MAC`);
  }
  return { pendingRecords: count, oldestPendingAt: oldest, problems };
}
