import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum AuditKind {
  /** A mutation: the change it made. */
  CHANGE = 'CHANGE',
  /** A response that showed subject identity: the cases it showed. */
  READ = 'READ',
  /** Work done by the system itself (seeding, migrations). */
  SYSTEM = 'SYSTEM',
}

/**
 * Append-only, hash-chained: `hash = HMAC-SHA256(audit key, prevHash | seq | canonical content)`
 * (`keyVersion` 1; records from before the key have version 0, plain sha256). `seq` is
 * gap-free, handed out under the row lock of `audit_chain_head`, so a deleted row, an edited row
 * or a dropped tail are all detectable. A trigger refuses UPDATE and DELETE.
 */
@Entity('audit_log')
@Index('audit_log_actor_office_idx', ['actorOfficeId', 'seq'])
@Index('audit_log_record_ids_idx', { synchronize: false })
@Index('audit_log_office_ids_idx', { synchronize: false })
export class AuditEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

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

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  /** How `hash` was made: 0 unkeyed sha256 (records before the audit key), 1 keyed HMAC-SHA256. */
  @Column({ type: 'smallint', default: 0 })
  keyVersion: number;
}

/** One row: the end of the chain. Locked `FOR UPDATE` by each writer, so the chain never forks. */
@Entity('audit_chain_head')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint' })
  lastSeq: string;

  @Column({ type: 'char', length: 64 })
  lastHash: string;
}
