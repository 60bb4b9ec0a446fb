import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PriorityCategory } from '../assessments/policy/types';
import { ApprovalRequestEntity } from '../approvals/approval.entity';
import { CaseEntity } from '../cases/case.entity';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import { ActionType, EnforcementBasis } from './action-type';

/**
 * An enforcement action as recorded: never edited or deleted (a trigger refuses both). A mistake
 * is corrected by a void record (`enforcement_action_voids`).
 */
@Entity('enforcement_actions')
@Index('enforcement_actions_office_occurred_idx', ['officeId', 'occurredAt'])
@Index('enforcement_actions_case_idx', ['caseId', 'occurredAt', 'id'])
export class EnforcementActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'enforcement_actions_case_id_fkey' })
  case?: CaseEntity;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'enforcement_actions_office_id_fkey' })
  office?: OfficeEntity;

  @Column({ type: 'enum', enum: ActionType, enumName: 'action_type' })
  type: ActionType;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 300 })
  location: string;

  @Column({ type: 'enum', enum: EnforcementBasis, enumName: 'enforcement_basis' })
  basis: EnforcementBasis;

  /** The priority category it counts under: the assessment's for a presumed priority, OTHER otherwise. */
  @Column({ type: 'enum', enum: PriorityCategory, enumName: 'priority_category' })
  category: PriorityCategory;

  /** The version in force at `occurredAt` in the office's time zone. */
  @Column({ type: 'varchar', length: 32 })
  policyVersionCode: string;

  @Column({ type: 'uuid', nullable: true })
  assessmentId: string | null;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'assessment_id',
    foreignKeyConstraintName: 'enforcement_actions_assessment_id_fkey',
  })
  assessment?: AssessmentEntity;

  /** PREAPPROVED: the approved request; a removal of a vulnerable person: the removal approval. */
  @Column({ type: 'uuid', nullable: true })
  approvalRequestId: string | null;

  @ManyToOne(() => ApprovalRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'approval_request_id',
    foreignKeyConstraintName: 'enforcement_actions_approval_request_id_fkey',
  })
  approvalRequest?: ApprovalRequestEntity;

  /**
   * What the action rests on, as the weekly report shows it, fixed when it is recorded: the
   * approved request's justification (PREAPPROVED) or the assessment's summary. Null for EXIGENT,
   * whose justification arrives later on the post-action request. Both sources never change, so
   * the copy spares each report a read of the (wide) assessments and requests.
   */
  @Column({ type: 'text', nullable: true })
  reportReason: string | null;

  /** Who approved the request the action relies on (PREAPPROVED, or a vulnerable person's removal). */
  @Column({ type: 'uuid', nullable: true })
  approvedById: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'approved_by_id',
    foreignKeyConstraintName: 'enforcement_actions_approved_by_id_fkey',
  })
  approvedBy?: UserEntity;

  /** EXIGENT: the narrative of why pre-approval was not feasible. */
  @Column({ type: 'text', nullable: true })
  exigentNarrative: string | null;

  @Column({ type: 'uuid' })
  recordedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'recorded_by_id',
    foreignKeyConstraintName: 'enforcement_actions_recorded_by_id_fkey',
  })
  recordedBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}

/** Voids an action recorded in error: the action stays on record, marked void, with who and why. */
@Entity('enforcement_action_voids')
export class EnforcementActionVoidEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('enforcement_action_voids_action_key', { unique: true })
  @Column({ type: 'uuid' })
  enforcementActionId: string;

  @ManyToOne(() => EnforcementActionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'enforcement_action_id',
    foreignKeyConstraintName: 'enforcement_action_voids_action_id_fkey',
  })
  enforcementAction?: EnforcementActionEntity;

  @Index('enforcement_action_voids_office_id_idx')
  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'enforcement_action_voids_office_id_fkey',
  })
  office?: OfficeEntity;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid' })
  voidedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'voided_by_id',
    foreignKeyConstraintName: 'enforcement_action_voids_voided_by_id_fkey',
  })
  voidedBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  voidedAt: Date;
}
