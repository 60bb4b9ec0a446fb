import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The schedule of the policy versions the engine holds (their rules live in code, in
 * `policy/`): which is in force on which dates. Headquarters changes it with
 * `schedulePolicyVersion`; the migration seeds the real dates.
 */
@Entity('policy_versions')
export class PolicyVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  /** Inclusive; null: not scheduled. */
  @Column({ type: 'date', nullable: true })
  effectiveFrom: string | null;

  /** Inclusive; null: open-ended. */
  @Column({ type: 'date', nullable: true })
  effectiveTo: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
