import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { ComplianceStatus, ReportStatus } from './weekly-report.due';
import { StatsDimension } from './stats.service';
import { PageInfo } from '../../common/connection.types';

registerEnumType(ReportStatus, {
  name: 'WeeklyReportStatus',
  description:
    'DRAFT: compiled live, not submitted. SUBMITTED: revision 1 frozen. AMENDED: a later revision.',
});
registerEnumType(ComplianceStatus, {
  name: 'ComplianceStatus',
  description: "A week's report against its due time: on time, late, missing, or not yet due.",
});
registerEnumType(StatsDimension, {
  name: 'StatsDimension',
  description: 'A key figures can be grouped by.',
});

// Rows of reports and figures (thousands in one answer) are plain objects read field by field:
// `simpleResolvers` leaves their fields without type-graphql's per-field wrapper (no middleware or
// auth checker runs through it here; the shield wraps fields itself and allows these), so
// graphql-jit reads them as properties.
@ObjectType({
  description: 'One enforcement action in a weekly report. No subject identity.',
  simpleResolvers: true,
})
export class WeeklyReportAction {
  @Field(() => String)
  actionId: string;

  @Field(() => ActionType)
  type: ActionType;

  @Field(() => String, { description: "Local time in the office's zone, ISO 8601 with offset." })
  occurredAt: string;

  @Field(() => String)
  location: string;

  @Field(() => PriorityCategory)
  category: PriorityCategory;

  @Field(() => EnforcementBasis)
  basis: EnforcementBasis;

  @Field(() => String)
  policyVersion: string;

  @Field(() => String, {
    nullable: true,
    description: 'The justification (pre-approved, exigent) or the presumption it rests on.',
  })
  justification: string | null;

  @Field(() => String, { nullable: true, description: 'Who approved or ratified it.' })
  approver: string | null;
}

@ObjectType({ description: "One action on a page of a weekly report's actions, with its cursor." })
export class WeeklyReportActionEdge {
  @Field(() => WeeklyReportAction)
  node: WeeklyReportAction;

  @Field(() => String, { description: 'Pass as `after` to continue after this action.' })
  cursor: string;
}

@ObjectType({
  description:
    "A page of a weekly report's actions, in time order (then by action id). `totalCount` is every action of the report.",
})
export class WeeklyReportActionConnection {
  @Field(() => [WeeklyReportActionEdge])
  edges: WeeklyReportActionEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  // `totalCount` is a field resolver.
}

@ObjectType({ description: 'A count under one key.', simpleResolvers: true })
export class ReportCount {
  @Field(() => String)
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description: 'Pre-approval requests made during the week, by where they stand.',
  simpleResolvers: true,
})
export class WeeklyReportRequests {
  @Field(() => Int)
  made: number;

  @Field(() => Int)
  approved: number;

  @Field(() => Int)
  denied: number;

  @Field(() => Int)
  pending: number;

  @Field(() => Int)
  withdrawn: number;

  @Field(() => Float, { nullable: true })
  medianDecisionHours: number | null;
}

@ObjectType({
  description: 'An exigent action of the week and its post-action justification.',
  simpleResolvers: true,
})
export class WeeklyReportExigentAction {
  @Field(() => String)
  actionId: string;

  @Field(() => String)
  occurredAt: string;

  @Field(() => String)
  justificationDueAt: string;

  @Field(() => String, { nullable: true })
  justificationSubmittedAt: string | null;

  @Field(() => String, {
    description: 'ON_TIME, LATE, MISSING (past due) or PENDING (not yet due).',
  })
  justification: string;

  @Field(() => String, {
    description: 'RATIFIED, NOT_RATIFIED, AWAITING_DECISION or AWAITING_JUSTIFICATION.',
  })
  ratification: string;
}

@ObjectType({ description: 'One stored revision of a weekly report.' })
export class WeeklyReportRevision {
  @Field(() => Int)
  revision: number;

  @Field(() => DateTimeScalar)
  submittedAt: Date;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was amended (null for the first submission).',
  })
  amendReason: string | null;

  // submittedBy: field resolver.
}

@ObjectType({
  description: "An office's report for one week: the latest submitted revision, or a live draft.",
})
export class WeeklyReport {
  @Field(() => String)
  officeCode: string;

  @Field(() => DateScalar, { description: 'The Monday the week starts.' })
  weekStart: string;

  @Field(() => DateTimeScalar, { description: "Monday 00:00 in the office's zone." })
  from: Date;

  @Field(() => DateTimeScalar, { description: 'The next Monday 00:00 (exclusive).' })
  to: Date;

  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => Int, { nullable: true, description: 'The revision shown; null for a draft.' })
  revision: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  submittedAt: Date | null;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => String, { nullable: true })
  amendReason: string | null;

  @Field(() => DateTimeScalar, { description: 'Records up to this instant are included.' })
  dataCutoff: Date;

  @Field(() => DateTimeScalar)
  dueAt: Date;

  // late, policyVersions, actions, totals, requests, exigentActions, counts, revisions, office,
  // submittedBy: field resolvers over the content.
}

@ObjectType({
  description: "A week's report in a listing, without its content.",
  simpleResolvers: true,
})
export class WeeklyReportListing {
  @Field(() => String)
  officeCode: string;

  @Field(() => DateScalar)
  weekStart: string;

  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => Int, { nullable: true })
  revision: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When revision 1 was submitted.' })
  submittedAt: Date | null;

  @Field(() => DateTimeScalar)
  dueAt: Date;

  @Field(() => ComplianceStatus)
  compliance: ComplianceStatus;
}

@ObjectType({ description: "One office's reporting for a week.", simpleResolvers: true })
export class OfficeCompliance {
  @Field(() => String)
  officeCode: string;

  @Field(() => DateScalar)
  weekStart: string;

  @Field(() => DateTimeScalar)
  dueAt: Date;

  @Field(() => ComplianceStatus)
  status: ComplianceStatus;

  @Field(() => DateTimeScalar, { nullable: true })
  submittedAt: Date | null;

  @Field(() => Int, { description: 'Revisions stored (amendments included).' })
  revisions: number;
}

@ObjectType({
  description: 'A count of enforcement actions; only the grouped keys are set.',
  simpleResolvers: true,
})
export class EnforcementStatsRow {
  @Field(() => DateScalar, { nullable: true })
  week: string | null;

  @Field(() => String, { nullable: true })
  officeCode: string | null;

  @Field(() => PriorityCategory, { nullable: true })
  category: PriorityCategory | null;

  @Field(() => ActionType, { nullable: true })
  actionType: ActionType | null;

  @Field(() => EnforcementBasis, { nullable: true })
  basis: EnforcementBasis | null;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description: 'Approval-request figures; only the grouped keys are set.',
  simpleResolvers: true,
})
export class ApprovalStatsRow {
  @Field(() => DateScalar, {
    nullable: true,
    description: "The week the requests were made (office's zone).",
  })
  week: string | null;

  @Field(() => String, { nullable: true })
  officeCode: string | null;

  @Field(() => ActionType, { nullable: true })
  actionType: ActionType | null;

  @Field(() => Int)
  requested: number;

  @Field(() => Int)
  approved: number;

  @Field(() => Int)
  denied: number;

  @Field(() => Int)
  pending: number;

  @Field(() => Int)
  withdrawn: number;

  @Field(() => Float, { nullable: true, description: 'approved / (approved + denied).' })
  approvalRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Median hours from request to decision.' })
  medianDecisionHours: number | null;
}
