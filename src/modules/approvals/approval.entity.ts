import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import { ActionType } from '../enforcement-actions/action-type';
import { ApprovalKind, ApprovalStatus, type StoredStatus } from './approval.states';

/**
 * A request to a supervisor of the case's office: before acting (PRE_ACTION), after an exigent
 * action (POST_ACTION), or to remove a vulnerable person (VULNERABLE_REMOVAL). Decided once, by
 * compare-and-set on `status`.
 */
@Entity('approval_requests')
@Index('approval_requests_office_queue_idx', ['officeId', 'requestedAt', 'id'], {
  where: `status = 'PENDING'`,
})
@Index('approval_requests_case_idx', ['caseId', 'actionType', 'status'])
@Index('approval_requests_office_requested_idx', ['officeId', 'requestedAt'])
// Covering, partial index for approval statistics (INCLUDE columns), created by its migration
// (AddApprovalRequestWeeks).
@Index('approval_requests_preapproval_stats_idx', { synchronize: false })
export class ApprovalRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'approval_requests_case_id_fkey' })
  case?: CaseEntity;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'approval_requests_office_id_fkey' })
  office?: OfficeEntity;

  @Column({ type: 'enum', enum: ApprovalKind, enumName: 'approval_kind' })
  kind: ApprovalKind;

  @Column({ type: 'enum', enum: ActionType, enumName: 'action_type' })
  actionType: ActionType;

  @Column({
    type: 'enum',
    enum: [
      ApprovalStatus.PENDING,
      ApprovalStatus.APPROVED,
      ApprovalStatus.DENIED,
      ApprovalStatus.WITHDRAWN,
    ],
    enumName: 'approval_status',
    default: ApprovalStatus.PENDING,
  })
  status: StoredStatus;

  /** Why the action is a justified use of limited resources (or, for removal, the compelling reason). Null on a post-action request until submitted. */
  @Column({ type: 'text', nullable: true })
  justification: string | null;

  /** The policy version in force when the request was made (its parameters apply). */
  @Column({ type: 'varchar', length: 32 })
  policyVersionCode: string;

  @Column({ type: 'uuid' })
  requestedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'requested_by_id',
    foreignKeyConstraintName: 'approval_requests_requested_by_id_fkey',
  })
  requestedBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  /**
   * The Monday of the office's local week that holds `requestedAt` (offices never change zone):
   * what figures and weekly reports group by, without converting each request's time.
   */
  @Column({ type: 'date' })
  requestedWeek: string;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'decided_by_id',
    foreignKeyConstraintName: 'approval_requests_decided_by_id_fkey',
  })
  decidedBy?: UserEntity;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The supervisor's reason (approval, denial), or the requester's for a withdrawal. */
  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  /** When an approval stops covering actions (approved pre-action and removal requests). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** POST_ACTION: the exigent action it ratifies. */
  @Index('approval_requests_action_idx')
  @Column({ type: 'uuid', nullable: true })
  enforcementActionId: string | null;

  // Declared for its foreign key only, never loaded: actions import requests, so the target is named
  // by string and the property left untyped (no import back, not even of a type).
  @ManyToOne('EnforcementActionEntity', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'enforcement_action_id',
    foreignKeyConstraintName: 'approval_requests_enforcement_action_id_fkey',
  })
  enforcementAction?: object;

  /** POST_ACTION: the justification is due by then. */
  @Column({ type: 'timestamptz', nullable: true })
  justificationDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  justificationSubmittedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  justificationSubmittedById: string | null;
}
