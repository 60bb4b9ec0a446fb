import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OfficeEntity } from '../users/office.entity';
import { ApprovalRequestEntity } from './approval.entity';

/** The deadline jobs of a request (approval.deadlines.ts). */
export enum DeadlineKind {
  /** A post-action justification falls due in JUSTIFICATION_REMINDER_HOURS. */
  JUSTIFICATION_DUE_SOON = 'JUSTIFICATION_DUE_SOON',
  /** A post-action justification fell due without being submitted. */
  JUSTIFICATION_OVERDUE = 'JUSTIFICATION_OVERDUE',
  /** A pre-approval request pending longer than APPROVAL_ESCALATION_HOURS. */
  ESCALATED = 'ESCALATED',
}

/**
 * One deadline job that ran: at most one per request and kind (the unique key), written in the
 * same transaction as its audit record and its event, so of several processes that find the same
 * deadline due exactly one acts on it, and a job that ran is never run again after a restart.
 */
@Entity('approval_deadline_runs')
@Index('approval_deadline_runs_request_kind_key', ['requestId', 'kind'], { unique: true })
@Index('approval_deadline_runs_office_idx', ['officeId', 'ranAt'])
export class ApprovalDeadlineRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => ApprovalRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'request_id',
    foreignKeyConstraintName: 'approval_deadline_runs_request_id_fkey',
  })
  request?: ApprovalRequestEntity;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'approval_deadline_runs_office_id_fkey',
  })
  office?: OfficeEntity;

  @Column({ type: 'enum', enum: DeadlineKind, enumName: 'approval_deadline_kind' })
  kind: DeadlineKind;

  /** The instant the job was due. */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** When it ran, by the service's clock (later than `dueAt` when the service was down then). */
  @Column({ type: 'timestamptz' })
  ranAt: Date;
}
