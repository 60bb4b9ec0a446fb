import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import type { WeeklyReportContent } from './weekly-report.content';

/**
 * A submitted weekly report: the compiled content frozen as it was. Revision 1 is the
 * submission; each amendment is a new revision with its reason. Never changed (trigger).
 */
@Entity('weekly_report_revisions')
@Index('weekly_report_revisions_key', ['officeId', 'weekStart', 'revision'], { unique: true })
@Index('weekly_report_revisions_week_idx', ['weekStart', 'officeId'])
@Check('weekly_report_revisions_reason', `(revision = 1) = (amend_reason IS NULL)`)
export class WeeklyReportRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'weekly_report_revisions_office_id_fkey',
  })
  office?: OfficeEntity;

  /** The Monday the week starts, in the office's time zone. */
  @Column({ type: 'date' })
  weekStart: string;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'jsonb' })
  content: WeeklyReportContent;

  /**
   * The content without its actions (totals, requests, the exigent list: a few KB), and how many
   * actions it holds: what a read of the report's head takes, without the whole content's
   * hundreds of KB. The actions are also kept a row each (`weekly_report_revision_actions`).
   */
  @Column({ type: 'jsonb' })
  summary: Omit<WeeklyReportContent, 'actions'>;

  @Column({ type: 'integer' })
  actionCount: number;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Why an amendment was made; null for the first submission. */
  @Column({ type: 'text', nullable: true })
  amendReason: string | null;

  @Column({ type: 'uuid' })
  submittedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'submitted_by_id',
    foreignKeyConstraintName: 'weekly_report_revisions_submitted_by_id_fkey',
  })
  submittedBy?: UserEntity;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  /** The records compiled are those committed by this instant. */
  @Column({ type: 'timestamptz' })
  dataCutoff: Date;
}

/**
 * A stored revision's actions, a row each in the report's order (when, then the action's id), so
 * a page of them is one index range from its cursor instead of the whole content unpacked. Written
 * with the revision, in its transaction; never changed (trigger).
 */
@Entity('weekly_report_revision_actions')
export class WeeklyReportRevisionActionEntity {
  @PrimaryColumn({ type: 'uuid' })
  revisionId: string;

  @ManyToOne(() => WeeklyReportRevisionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'revision_id',
    foreignKeyConstraintName: 'weekly_report_revision_actions_revision_id_fkey',
  })
  revision?: WeeklyReportRevisionEntity;

  @PrimaryColumn({ type: 'timestamptz' })
  occurredAt: Date;

  @PrimaryColumn({ type: 'uuid' })
  actionId: string;

  /** The action as the report shows it (an element of the content's `actions`). */
  @Column({ type: 'jsonb' })
  action: WeeklyReportContent['actions'][number];
}

/**
 * Enforcement actions counted per office, local week, category, type and basis: kept up to date
 * in the same transaction as each action (and each void), so figures over years read a few
 * thousand rows instead of millions. This and the two coarser counts tables below are this
 * module's read model: written only by `counts.ts` (which the enforcement-actions service calls as
 * it records or voids an action; the synthetic seed rebuilds them in bulk) and read by the figures.
 */
@Entity('enforcement_weekly_counts')
@Index('enforcement_weekly_counts_week_idx', ['weekStart', 'officeId'])
@Check('enforcement_weekly_counts_nonnegative', `action_count >= 0`)
export class EnforcementWeeklyCountEntity {
  @PrimaryColumn({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'enforcement_weekly_counts_office_id_fkey',
  })
  office?: OfficeEntity;

  @PrimaryColumn({ type: 'date' })
  weekStart: string;

  @PrimaryColumn({ type: 'enum', enum: PriorityCategory, enumName: 'priority_category' })
  category: PriorityCategory;

  @PrimaryColumn({ type: 'enum', enum: ActionType, enumName: 'action_type' })
  actionType: ActionType;

  @PrimaryColumn({ type: 'enum', enum: EnforcementBasis, enumName: 'enforcement_basis' })
  basis: EnforcementBasis;

  @Column({ type: 'integer', default: 0 })
  actionCount: number;
}

/**
 * The same counts summed over every office: what headquarters' figures read when they neither
 * filter nor group by office (about 25 rows a week instead of 25 per office). Kept in the same
 * transaction as each action, after the office's row; every write already waits for the audit
 * chain's head, so this row shared by all offices adds no new contention.
 */
@Entity('enforcement_counts_by_week')
@Check('enforcement_counts_by_week_nonnegative', `action_count >= 0`)
export class EnforcementCountByWeekEntity {
  @PrimaryColumn({ type: 'date' })
  weekStart: string;

  @PrimaryColumn({ type: 'enum', enum: PriorityCategory, enumName: 'priority_category' })
  category: PriorityCategory;

  @PrimaryColumn({ type: 'enum', enum: ActionType, enumName: 'action_type' })
  actionType: ActionType;

  @PrimaryColumn({ type: 'enum', enum: EnforcementBasis, enumName: 'enforcement_basis' })
  basis: EnforcementBasis;

  @Column({ type: 'integer', default: 0 })
  actionCount: number;
}

/**
 * The same counts summed per office and week over category, type and basis: what figures by
 * office or week read when they neither filter nor group by those (one row per office-week).
 */
@Entity('enforcement_counts_by_office_week')
@Index('enforcement_counts_by_office_week_week_idx', ['weekStart'])
@Check('enforcement_counts_by_office_week_nonnegative', `action_count >= 0`)
export class EnforcementCountByOfficeWeekEntity {
  @PrimaryColumn({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'enforcement_counts_by_office_week_office_id_fkey',
  })
  office?: OfficeEntity;

  @PrimaryColumn({ type: 'date' })
  weekStart: string;

  @Column({ type: 'integer', default: 0 })
  actionCount: number;
}

/**
 * A token per office-week that takes a new value (from `report_week_version_seq`, so a value is
 * never reused) in the same transaction as any change to a record the week's report is compiled
 * from: an action recorded or voided, a request made, withdrawn or decided, a post-action
 * justification, an approver renamed, an office's code or time zone changed. Database triggers keep it
 * (migrations AddReportWeekVersions and AddOfficeWeekStart), whatever wrote the record; it is read
 * only through `week-versions.ts`. A compiled draft, or an approvalStats answer, is reused while
 * the versions it was computed under are current (`src/common/token-cache.ts`).
 */
@Entity('report_week_versions')
export class ReportWeekVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'office_id',
    foreignKeyConstraintName: 'report_week_versions_office_id_fkey',
  })
  office?: OfficeEntity;

  @PrimaryColumn({ type: 'date' })
  weekStart: string;

  /** bigint: read as a string. */
  @Column({ type: 'bigint' })
  version: string;
}
