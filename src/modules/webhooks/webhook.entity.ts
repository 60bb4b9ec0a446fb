import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ApprovalRequestEntity } from '../approvals/approval.entity';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';

/** Where a delivery stands. */
export enum WebhookDeliveryStatus {
  /** Not delivered yet: waiting for its first attempt or for a retry (`nextAttemptAt`). */
  PENDING = 'PENDING',
  /** The receiver answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** Given up: WEBHOOK_MAX_ATTEMPTS attempts failed, or the webhook was removed first. */
  FAILED = 'FAILED',
}

/**
 * A URL headquarters registered for some kinds of live event. Removal sets `removedAt` and keeps
 * the row, so its delivery history stays readable. The secret signs every delivery; it is shown
 * once, at registration, and never read back through the API.
 */
@Entity('webhooks')
@Index('webhooks_created_idx', ['createdAt', 'id'])
export class WebhookEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  url: string;

  /** LiveEventKind values, at least one, no duplicates. */
  @Column({ type: 'text', array: true })
  events: string[];

  /** 32 random bytes, hex: the HMAC-SHA256 key of the signatures. */
  @Column({ type: 'text' })
  secret: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'uuid' })
  createdById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'webhooks_created_by_id_fkey' })
  createdBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;
}

/**
 * One event for one webhook: the outbox row, written in the transaction of the write that made
 * the event (so a write that rolled back leaves none), then sent and retried by the delivery
 * worker of any service process (webhook.worker.ts).
 */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_webhook_idx', ['webhookId', 'createdAt', 'id'])
@Index('webhook_deliveries_due_idx', ['nextAttemptAt'], { where: `status = 'PENDING'` })
@Index('webhook_deliveries_office_idx', ['officeId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  webhookId: string;

  @ManyToOne(() => WebhookEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'webhook_id',
    foreignKeyConstraintName: 'webhook_deliveries_webhook_id_fkey',
  })
  webhook?: WebhookEntity;

  /** A LiveEventKind value. */
  @Column({ type: 'varchar', length: 40 })
  eventKind: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => ApprovalRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'request_id',
    foreignKeyConstraintName: 'webhook_deliveries_request_id_fkey',
  })
  request?: ApprovalRequestEntity;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'webhook_deliveries_office_id_fkey' })
  office?: OfficeEntity;

  /** Exactly what is POSTed (sent as this jsonb's text, the same bytes on every attempt). */
  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({
    type: 'enum',
    enum: WebhookDeliveryStatus,
    enumName: 'webhook_delivery_status',
    default: WebhookDeliveryStatus.PENDING,
  })
  status: WebhookDeliveryStatus;

  /** Attempts begun (a claimed attempt counts even if its process died before recording it). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /**
   * PENDING: when the next attempt may start. While an attempt is in flight it is pushed past the
   * attempt's timeout (the lease): no other process claims it, and a crashed sender's lease ends.
   */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}

/** One attempt to send a delivery, as it ended. */
@Entity('webhook_delivery_attempts')
@Index('webhook_delivery_attempts_delivery_key', ['deliveryId', 'number'], { unique: true })
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'delivery_id',
    foreignKeyConstraintName: 'webhook_delivery_attempts_delivery_id_fkey',
  })
  delivery?: WebhookDeliveryEntity;

  /** 1 for the first attempt. */
  @Column({ type: 'int' })
  number: number;

  /** When it started, by the service's clock. */
  @Column({ type: 'timestamptz' })
  at: Date;

  /** The receiver's HTTP status; null when no answer came (see `error`). */
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  /** Why it failed: no answer (timeout, refused, DNS), or a status other than 2xx. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'int' })
  durationMs: number;
}
