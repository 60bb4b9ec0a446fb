import { badInput } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { RequestContext } from '../../common/context';
import { readScope } from '../../auth/permissions';
import { AuditContent, hashPayload } from './audit.hash';
import { CHAINED_VERSION, recordMac } from './audit.key';
import { AuditEntity, AuditKind } from './audit.entity';
import { decodeAfter, keysetCursor, pageOf, type Keyset } from '../../common/keyset';
import { pageSize } from '../../common/pagination';
import { serviceCache, type ServiceCaches } from '../../common/caches';

export interface AuditEntry {
  kind?: AuditKind;
  operation: string;
  recordType: string;
  recordIds: string[];
  /** The offices the records belong to (who may read this entry). */
  officeIds: string[];
  reason?: string | null;
  change?: unknown;
  /** For records spanning offices: which ids belong to which office (stored in `change`). */
  recordsByOffice?: Record<string, string[]>;
}

/** Insertion numbers a process takes from the sequence at once. */
const INSERTION_BLOCK = 32;

/**
 * This process's insertion numbers not yet used, taken from `audit_log_insertion_seq` a block at a
 * time so that most records cost one statement, not two (the MAC binds the number, so it must be
 * known before the INSERT). Numbers only need to be unique: the chainer links records in the order
 * it finds them committed and numbers them gap-free itself (`seq`), so a block left unused when a
 * process stops is a harmless gap, as a rolled-back record's number always was.
 *
 * A sequence's advance is made durable only by a later commit's WAL flush: after a crash,
 * PostgreSQL may hand out again numbers of a block taken just before it. So a block is forgotten
 * whenever the pool opens a connection (`forgetInsertionNumbers`, which may be to a restarted
 * server), a new block skips numbers already recorded, and a record whose number was taken
 * meanwhile (`ON CONFLICT`) is written again under a fresh number.
 */
const insertionNumbers = serviceCache('auditInsertionNumbers', () => [] as string[]);

/** How often a record is written again under a fresh number before the request fails. */
const INSERTION_ATTEMPTS = 8;

async function nextInsertion(ctx: RequestContext): Promise<string> {
  const free = ctx.deps.caches.get(insertionNumbers);
  if (!free.length) {
    // On the request's own connection: the embedded database has only that one. Two requests
    // finding the block empty at once each take one; both end up used.
    const rows = (await ctx.manager.query(
      `SELECT n::text AS insertion
         FROM (SELECT nextval('audit_log_insertion_seq') AS n FROM generate_series(1, ${INSERTION_BLOCK})) s
        WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.insertion = s.n)
        ORDER BY n`,
    )) as { insertion: string }[];
    free.push(...rows.map((r) => r.insertion).reverse());
  }
  return free.pop() ?? nextInsertion(ctx);
}

/** Drops this process's unused insertion numbers: the server may have restarted since they were taken. */
export function forgetInsertionNumbers(caches: ServiceCaches): void {
  caches.get(insertionNumbers).length = 0;
}

/**
 * Appends one record in the caller's transaction (or, outside one, as one autocommit INSERT). It
 * takes no lock another request waits on: the insertion number comes from this process's block of
 * the sequence's numbers, the MAC is computed here with the audit key, and the chainer links the
 * record into the hash chain shortly after it commits (audit.chainer.ts).
 */
export async function writeAudit(ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const caller = ctx.caller;
  const content: AuditContent = {
    occurredAt: ctx.clock.now().toISOString(),
    kind: entry.kind ?? AuditKind.CHANGE,
    actorId: caller?.id ?? null,
    actorRole: caller?.role ?? null,
    actorOfficeId: caller?.officeId ?? null,
    operation: entry.operation,
    recordType: entry.recordType,
    recordIds: [...new Set(entry.recordIds)].sort(),
    officeIds: [...new Set(entry.officeIds)].sort(),
    reason: entry.reason ?? null,
    change: normalizeChange(entry),
    requestId: ctx.requestId,
  };
  for (let attempt = 1; ; attempt++) {
    const insertion = await nextInsertion(ctx);
    // Keyed: a row inserted (or edited) by anyone without the audit key has no valid MAC, and the
    // chainer refuses to link it.
    const mac = recordMac(ctx.deps.auditKeys, insertion, hashPayload(content));
    const written = (await ctx.manager.query(
      `INSERT INTO audit_log (insertion, occurred_at, kind, actor_id, actor_role, actor_office_id, operation,
                              record_type, record_ids, office_ids, reason, change, request_id, key_version, mac)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10::uuid[], $11, $12::jsonb, $13, $14, $15)
       ON CONFLICT (insertion) DO NOTHING
       RETURNING insertion`,
      [
        insertion,
        content.occurredAt,
        content.kind,
        content.actorId,
        content.actorRole,
        content.actorOfficeId,
        content.operation,
        content.recordType,
        content.recordIds,
        content.officeIds,
        content.reason,
        content.change === null ? null : JSON.stringify(content.change),
        content.requestId,
        CHAINED_VERSION,
        mac,
      ],
    )) as unknown[];
    if (written.length) break;
    // The number was recorded already: the block predates a crash that set the sequence back.
    forgetInsertionNumbers(ctx.deps.caches);
    if (attempt === INSERTION_ATTEMPTS) {
      throw new Error(`audit record not written: ${attempt} insertion numbers were all taken`);
    }
  }
  // Committed already when no transaction is open: the chainer may link it now.
  if (!ctx.manager.queryRunner?.isTransactionActive) auditCommitted(ctx);
}

/** After a transaction that appended audit records commits: wakes this process's chainer. */
export function auditCommitted(ctx: RequestContext): void {
  ctx.deps.auditChainer?.wake();
}

function normalizeChange(entry: AuditEntry): unknown {
  let change = entry.change;
  if (entry.recordsByOffice) {
    const sorted = Object.fromEntries(
      Object.entries(entry.recordsByOffice).map(([office, ids]) => [
        office,
        [...new Set(ids)].sort(),
      ]),
    );
    change = {
      ...((change as Record<string, unknown> | undefined) ?? {}),
      recordsByOffice: sorted,
    };
  }
  // Through JSON once, so what is hashed is exactly what jsonb will give back.
  return change === undefined ? null : (JSON.parse(JSON.stringify(change)) as unknown);
}

/**
 * Newest first, by insertion number: records not yet chained are shown too. The trail is one SQL
 * statement (its office filter reads arrays and jsonb), so it takes the pager's key, cursor check
 * and page cut, not its query builder.
 */
const AUDIT_ORDER: Keyset<AuditEntity> = {
  keys: [{ column: 'insertion', part: 'seq', of: (a) => a.insertion }],
  direction: 'DESC',
};

export interface AuditPage {
  items: AuditEntity[];
  hasNextPage: boolean;
}

/** Newest first; headquarters sees every record, a supervisor those naming their office or made in it. */
export async function auditTrail(
  ctx: RequestContext,
  args: { recordId?: string | null; first?: number | null; after?: string | null },
): Promise<AuditPage> {
  const office = readScope(ctx.user);
  const first = pageSize(args.first);
  const params: unknown[] = [];
  const where: string[] = [];
  if (office !== undefined) {
    params.push(office);
    where.push(
      `($${params.length}::uuid = ANY(office_ids) OR actor_office_id = $${params.length})`,
    );
  }
  if (args.recordId) {
    // Record ids are UUIDs; anything else must not reach SQL as one (it would fail as a server error).
    if (!isUuid(args.recordId)) throw badInput('recordId', 'is not a record id');
    params.push(args.recordId);
    const rid = `$${params.length}`;
    where.push(`ARRAY[${rid}::uuid] <@ record_ids`);
    if (office !== undefined) {
      // In a record spanning offices, a supervisor may find it only by an id of their own office.
      where.push(
        `(cardinality(office_ids) <= 1 OR (change->'recordsByOffice'->($1::text)) ? (${rid}::text))`,
      );
    }
  }
  if (args.after) {
    const [insertion] = decodeAfter(AUDIT_ORDER, args.after);
    params.push(insertion);
    where.push(`insertion < $${params.length}`);
  }
  params.push(first + 1);
  const found = (await ctx.manager.query(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY insertion DESC LIMIT $${params.length}`,
    params,
  )) as Record<string, unknown>[];
  const page = pageOf(found.map(rowToAudit), first);
  return {
    items: office === undefined ? page.items : page.items.map((a) => redactForOffice(a, office)),
    hasNextPage: page.hasNextPage,
  };
}

/**
 * A record spanning several offices (a headquarters read of many offices' cases) shows a
 * supervisor only the ids of their own office. The stored row is untouched, so the chain verifies.
 */
function redactForOffice(a: AuditEntity, office: string): AuditEntity {
  if (a.officeIds.length <= 1) return a;
  const byOffice =
    (a.change as { recordsByOffice?: Record<string, string[]> } | null)?.recordsByOffice ?? {};
  const mine = byOffice[office] ?? [];
  return {
    ...a,
    recordIds: mine,
    officeIds: [office],
    change: { ...(a.change as Record<string, unknown>), recordsByOffice: { [office]: mine } },
  };
}

export function auditCursor(a: AuditEntity): string {
  return keysetCursor(AUDIT_ORDER, a);
}

export function rowToAudit(r: Record<string, unknown>): AuditEntity {
  return {
    insertion: r.insertion as string,
    seq: r.seq as string | null,
    occurredAt: r.occurred_at as Date,
    kind: r.kind as AuditKind,
    actorId: r.actor_id as string | null,
    actorRole: r.actor_role as string | null,
    actorOfficeId: r.actor_office_id as string | null,
    operation: r.operation as string,
    recordType: r.record_type as string | null,
    recordIds: r.record_ids as string[],
    officeIds: r.office_ids as string[],
    reason: r.reason as string | null,
    change: r.change,
    requestId: r.request_id as string | null,
    prevHash: r.prev_hash as string | null,
    hash: r.hash as string | null,
    keyVersion: r.key_version as number,
    mac: r.mac as string | null,
  };
}
