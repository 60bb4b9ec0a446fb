import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../modules/users/user.entity';

/**
 * The answer a mutation gave under a client's `Idempotency-Key`, written in the mutation's own
 * transaction (so a key is stored exactly when the write committed). A retry with the same key and
 * the same request by the same user is answered from here and writes nothing. Rows expire after
 * `IDEMPOTENCY_KEY_TTL_HOURS`; the service only reads, inserts and deletes them.
 */
@Entity('idempotency_keys')
@Index('idempotency_keys_expires_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  /** Keys are per user: another user's same key is a different row. */
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'idempotency_keys_user_id_fkey' })
  user?: UserEntity;

  /** The header's value: 1 to 255 printable ASCII characters. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** sha256 of the operation text, the operation name and the variables (canonical JSON). */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** The `data` answered, as JSON text (`json`, not `jsonb`: the field order is the answer's). */
  @Column({ type: 'json' })
  response: unknown;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
