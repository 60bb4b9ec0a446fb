import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum AuditKind {
  /** A mutation: the change it made. */
  CHANGE = 'CHANGE',
  /** A response that showed subject identity: the cases it showed. */
  READ = 'READ',
  /** Work done by the system itself (seeding, migrations). */
  SYSTEM = 'SYSTEM',
}

/**
 * Append-only, hash-chained in two steps. A request INSERTs its record with an `insertion` number
 * (a sequence: gaps are writes that rolled back) and `mac = HMAC(record key, insertion | canonical
 * content)`, taking no lock another request waits on. The chainer (audit.chainer.ts) then sets the
 * chain columns once: `seq`, the gap-free position, `prevHash` and `hash = HMAC(chain key, prevHash
 * | seq | insertion | canonical content)` (`keyVersion` 2; records from before the chainer have
 * version 1 without the insertion, or 0, plain sha256). A deleted row, an edited row or a dropped
 * tail of the chain are all detectable; triggers refuse DELETE, any change of content, and chain
 * columns set other than as the head's next link.
 */
@Entity('audit_log')
@Index('audit_log_actor_office_idx', ['actorOfficeId', 'insertion'])
@Index('audit_log_seq_key', ['seq'], { unique: true })
@Index('audit_log_pending_idx', { synchronize: false })
@Index('audit_log_record_ids_idx', { synchronize: false })
@Index('audit_log_office_ids_idx', { synchronize: false })
@Check(
  'audit_log_chained_whole',
  `("seq" IS NULL) = ("hash" IS NULL) AND ("seq" IS NULL) = ("prev_hash" IS NULL)`,
)
@Check('audit_log_mac_from_v2', `"key_version" < 2 OR "mac" IS NOT NULL`)
export class AuditEntity {
  /** The order records were written in (newest first in the trail). */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  insertion: string;

  /** The position in the chain; null until the chainer links the record. */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 16 })
  kind: AuditKind;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorRole: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorOfficeId: string | null;

  /** The GraphQL operation or system task, e.g. `openCase`. */
  @Column({ type: 'varchar', length: 64 })
  operation: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recordType: string | null;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  recordIds: string[];

  /** The offices the records belong to: a supervisor's audit trail is the rows naming their office. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  officeIds: string[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  change: unknown;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash: string | null;

  /**
   * How `hash` was made: 0 unkeyed sha256 (records before the audit key), 1 keyed HMAC-SHA256,
   * 2 keyed, binding the insertion number too, and the record carries a `mac`.
   */
  @Column({ type: 'smallint', default: 0 })
  keyVersion: number;

  /** HMAC(record key, insertion | canonical content), made by the writer; null before version 2. */
  @Column({ type: 'char', length: 64, nullable: true })
  mac: string | null;
}

/**
 * One row: the end of the chain. Moved forward only by a chaining step (the `audit_log_chain_step`
 * trigger), under the chainer's advisory lock, so the chain never forks; no request locks it.
 */
@Entity('audit_chain_head')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint' })
  lastSeq: string;

  @Column({ type: 'char', length: 64 })
  lastHash: string;
}
