import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import { PolicyVersionEntity } from './policy-version.entity';
import type { CriterionResult, Determinations, PolicyFacts } from './policy/types';
import { PriorityCategory } from './policy/types';

/**
 * The outcome of evaluating a case under one policy version, recorded for good: never updated.
 * A newer assessment supersedes it (`cases.latest_assessment_id`).
 */
@Entity('assessments')
@Index('assessments_case_idx', ['caseId', 'assessedAt', 'id'])
export class AssessmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'assessments_case_id_fkey' })
  case?: CaseEntity;

  @Index('assessments_office_id_idx')
  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'assessments_office_id_fkey' })
  office?: OfficeEntity;

  @Column({ type: 'varchar', length: 32 })
  policyVersionCode: string;

  @ManyToOne(() => PolicyVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'policy_version_code',
    foreignKeyConstraintName: 'assessments_policy_version_code_fkey',
  })
  policyVersion?: PolicyVersionEntity;

  /** The instant the assessment speaks for (default: when it was made). */
  @Column({ type: 'timestamptz' })
  asOf: Date;

  /** `asOf` as a calendar date in the office's time zone: what selected the version. */
  @Column({ type: 'date' })
  asOfDate: string;

  @Column({ type: 'enum', enum: PriorityCategory, enumName: 'priority_category', array: true })
  categories: PriorityCategory[];

  @Column({ type: 'enum', enum: PriorityCategory, enumName: 'priority_category' })
  primaryCategory: PriorityCategory;

  @Column({ type: 'boolean' })
  presumedPriority: boolean;

  @Column({ type: 'boolean' })
  requiresPreapproval: boolean;

  /** Every criterion's result, with its detail sentence. */
  @Column({ type: 'jsonb' })
  reasons: CriterionResult[];

  @Column({ type: 'jsonb' })
  determinations: Determinations;

  /** The facts as they were read (no subject identity). */
  @Column({ type: 'jsonb' })
  factsSnapshot: PolicyFacts;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'uuid' })
  assessedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'assessed_by_id',
    foreignKeyConstraintName: 'assessments_assessed_by_id_fkey',
  })
  assessedBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  assessedAt: Date;
}
