/**
 * Verifying the chain: every record's link hash re-derived from its stored content (keyed with the
 * audit key, or unkeyed for the records written before the key existed), every link, the gap-free
 * sequence, the head row, and the latest signed checkpoint kept outside the database.
 */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { readCheckpoints, type SignedCheckpoint } from './audit.checkpoints';
import { type AuditContent, GENESIS_HASH, hashPayload } from './audit.hash';
import { type AuditKeys, KEYED_VERSION, linkHash, sameDigest, UNKEYED_VERSION } from './audit.key';
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
 * Verifies the records after `from` (up to `toSeq` when given). Unkeyed records are accepted only
 * up to `unkeyedUpTo` and only before the first keyed one: the keyed chain cannot be downgraded.
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
      const seq = BigInt(a.seq);
      // A gap means a row was deleted: the first row after it is where the chain breaks.
      if (seq !== prevSeq + 1n) {
        return broken(a.seq, `record ${prevSeq + 1n} is missing (the next one is ${a.seq})`);
      }
      if (a.keyVersion === UNKEYED_VERSION && (keyedSeen || seq > opts.unkeyedUpTo)) {
        return broken(a.seq, `record ${a.seq} has an unkeyed hash where the chain is keyed`);
      }
      const expected = linkHash(keys, a.keyVersion, prevHash, a.seq, hashPayload(contentOf(a)));
      if (expected === undefined) {
        return broken(a.seq, `record ${a.seq} has an unknown key version ${a.keyVersion}`);
      }
      if (a.prevHash !== prevHash || !sameDigest(a.hash, expected)) {
        return broken(
          a.seq,
          `record ${a.seq} does not match its hash: it, or the link to the record before it, was changed`,
        );
      }
      keyedSeen ||= a.keyVersion === KEYED_VERSION;
      checked += 1;
      prevHash = a.hash;
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

export interface IntegrityResult {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  problems: string[];
  checkpointSeq: string | null;
  checkpointAt: Date | null;
}

/**
 * The whole chain from genesis, the head row, and the latest checkpoint: a log that ends before
 * the checkpoint lost records (truncation, reset to genesis); a record at the checkpoint's position
 * with another hash means the chain was rebuilt.
 */
export async function verifyAuditChain(ctx: RequestContext): Promise<IntegrityResult> {
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
  if (segment.ok) {
    const head = await readHead(ctx.manager);
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
  return {
    ok: problems.length === 0,
    checked: segment.checked,
    firstBrokenId,
    problems,
    checkpointSeq: latest?.seq ?? null,
    checkpointAt: latest ? new Date(latest.at) : null,
  };
}
