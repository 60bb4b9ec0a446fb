import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { ComplianceStatus, ReportStatus } from './weekly-report.due';
import { StatsDimension } from './stats.service';

registerEnumType(ReportStatus, {
  name: 'WeeklyReportStatus',
  description:
    'DRAFT: compiled live, not submitted. SUBMITTED: revision 1 frozen. AMENDED: a later revision.',
  valuesConfig: {
    DRAFT: { description: 'Not submitted: compiled live from the records at each read.' },
    SUBMITTED: { description: 'Revision 1 frozen by a supervisor; no amendment since.' },
    AMENDED: { description: 'Amended: the latest revision is 2 or later.' },
  },
});
registerEnumType(ComplianceStatus, {
  name: 'ComplianceStatus',
  description: "A week's report against its due time: on time, late, missing, or not yet due.",
  valuesConfig: {
    ON_TIME: { description: 'Revision 1 was submitted by the due time.' },
    LATE: { description: 'Revision 1 was submitted after the due time.' },
    MISSING: { description: 'Not submitted, and the due time has passed.' },
    NOT_DUE: { description: 'Not submitted, and the due time has not come yet.' },
  },
});
registerEnumType(StatsDimension, {
  name: 'StatsDimension',
  description: 'A key figures can be grouped by.',
  valuesConfig: {
    WEEK: {
      description:
        "The week (its Monday), counted in each office's time zone: for actions the week they occurred, for requests the week they were made.",
    },
    OFFICE: { description: 'The field office, by code.' },
    CATEGORY: { description: 'The priority category (enforcement actions only).' },
    ACTION_TYPE: { description: 'The action type.' },
    BASIS: { description: 'The basis (enforcement actions only).' },
  },
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
  @Field(() => String, { description: "The enforcement action's id (`enforcementAction(id)`)." })
  actionId: string;

  @Field(() => ActionType, { description: 'What was done.' })
  type: ActionType;

  @Field(() => String, {
    description:
      "When it happened. Local wall-clock time in the office's zone, ISO 8601 with its offset (e.g. '2021-03-01T09:30:00-05:00').",
  })
  occurredAt: string;

  @Field(() => String, { description: 'Where it happened.' })
  location: string;

  @Field(() => PriorityCategory, { description: 'The category it counts under.' })
  category: PriorityCategory;

  @Field(() => EnforcementBasis, { description: 'What it rests on.' })
  basis: EnforcementBasis;

  @Field(() => String, {
    description: "The code of the policy version in force on the action's date.",
  })
  policyVersion: string;

  @Field(() => String, {
    nullable: true,
    description:
      "What it rests on in words: the approved request's justification (PREAPPROVED), the post-action justification (EXIGENT; null until submitted), or the assessment's summary (PRESUMED_PRIORITY, ASSESSED).",
  })
  justification: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The name of the supervisor who approved or ratified it; null for a presumed priority, an assessment, or an exigent action not ratified yet.',
  })
  approver: string | null;
}

@ObjectType({ description: 'A count under one key.', simpleResolvers: true })
export class ReportCount {
  @Field(() => String, {
    description: 'The key: a PriorityCategory, ActionType or EnforcementBasis value.',
  })
  key: string;

  @Field(() => Int, { description: 'Actions under that key (only keys with at least one).' })
  count: number;
}

@ObjectType({
  description: 'Pre-approval requests made during the week, by where they stand.',
  simpleResolvers: true,
})
export class WeeklyReportRequests {
  @Field(() => Int, {
    description:
      'Pre-action and vulnerable-removal requests made during the week (post-action requests are reported with their exigent actions).',
  })
  made: number;

  @Field(() => Int, { description: 'Of those, approved (expired approvals included).' })
  approved: number;

  @Field(() => Int, { description: 'Of those, denied.' })
  denied: number;

  @Field(() => Int, { description: 'Of those, still pending (when compiled).' })
  pending: number;

  @Field(() => Int, { description: 'Of those, withdrawn by the requester.' })
  withdrawn: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median hours from request to decision of those decided, to two decimals; null when none was.',
  })
  medianDecisionHours: number | null;
}

@ObjectType({
  description: 'An exigent action of the week and its post-action justification.',
  simpleResolvers: true,
})
export class WeeklyReportExigentAction {
  @Field(() => String, { description: "The exigent action's id." })
  actionId: string;

  @Field(() => String, {
    description:
      "When it happened. Local wall-clock time in the office's zone, ISO 8601 with its offset (e.g. '2021-03-01T09:30:00-05:00').",
  })
  occurredAt: string;

  @Field(() => String, {
    description:
      "When its post-action justification is due. Local wall-clock time in the office's zone, ISO 8601 with its offset (e.g. '2021-03-01T09:30:00-05:00').",
  })
  justificationDueAt: string;

  @Field(() => String, {
    nullable: true,
    description:
      "When the justification was submitted; null if not yet. Local wall-clock time in the office's zone, ISO 8601 with its offset (e.g. '2021-03-01T09:30:00-05:00').",
  })
  justificationSubmittedAt: string | null;

  @Field(() => String, {
    description:
      'ON_TIME, LATE, MISSING (past due, none yet) or PENDING (not yet due), as of when the report was compiled.',
  })
  justification: string;

  @Field(() => String, {
    description:
      'RATIFIED, NOT_RATIFIED, AWAITING_DECISION or AWAITING_JUSTIFICATION (see `Ratification`), as of when the report was compiled.',
  })
  ratification: string;
}

@ObjectType({ description: 'One stored revision of a weekly report.' })
export class WeeklyReportRevision {
  @Field(() => Int, { description: '1 for the submission, 2 and up for amendments.' })
  revision: number;

  @Field(() => DateTimeScalar, {
    description: 'When it was stored; its content holds the records up to then.',
  })
  submittedAt: Date;

  @Field(() => String, { nullable: true, description: "The submitter's note, if any." })
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
  @Field(() => String, { description: "The office's code." })
  officeCode: string;

  @Field(() => DateScalar, { description: 'The Monday the week starts.' })
  weekStart: string;

  @Field(() => DateTimeScalar, {
    description: "The week's start: Monday 00:00 in the office's time zone, as an instant.",
  })
  from: Date;

  @Field(() => DateTimeScalar, {
    description: "The week's end: the next Monday 00:00 in the office's time zone (exclusive).",
  })
  to: Date;

  @Field(() => ReportStatus, { description: 'DRAFT, SUBMITTED or AMENDED.' })
  status: ReportStatus;

  @Field(() => Int, { nullable: true, description: 'The revision shown; null for a draft.' })
  revision: number | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the revision shown was stored; null for a draft.',
  })
  submittedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The submitter's note (revision 1); null otherwise.",
  })
  note: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the revision shown was amended; null for revision 1 and drafts.',
  })
  amendReason: string | null;

  @Field(() => DateTimeScalar, {
    description:
      'Records up to this instant are included: the submission time of a revision; for a draft, now.',
  })
  dataCutoff: Date;

  @Field(() => DateTimeScalar, {
    description:
      "When revision 1 is due: the week's end plus the `weeklyReportDueHours` of the version in force on its Sunday (12 hours).",
  })
  dueAt: Date;

  // late, policyVersions, actions, totals, requests, exigentActions, counts, revisions, office,
  // submittedBy: field resolvers over the content.
}

@ObjectType({
  description: "A week's report in a listing, without its content.",
  simpleResolvers: true,
})
export class WeeklyReportListing {
  @Field(() => String, { description: "The office's code." })
  officeCode: string;

  @Field(() => DateScalar, { description: 'The Monday the week starts.' })
  weekStart: string;

  @Field(() => ReportStatus, { description: 'DRAFT (not submitted), SUBMITTED or AMENDED.' })
  status: ReportStatus;

  @Field(() => Int, {
    nullable: true,
    description: 'The latest revision; null when not submitted.',
  })
  revision: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When revision 1 was submitted.' })
  submittedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When revision 1 is due.' })
  dueAt: Date;

  @Field(() => ComplianceStatus, { description: 'Revision 1 against its due time, now.' })
  compliance: ComplianceStatus;
}

@ObjectType({ description: "One office's reporting for a week.", simpleResolvers: true })
export class OfficeCompliance {
  @Field(() => String, { description: "The office's code." })
  officeCode: string;

  @Field(() => DateScalar, { description: 'The Monday the week starts.' })
  weekStart: string;

  @Field(() => DateTimeScalar, {
    description:
      "When the office's report is due: its week's end (the next Monday 00:00 in its time zone) plus the version's `weeklyReportDueHours`.",
  })
  dueAt: Date;

  @Field(() => ComplianceStatus, {
    description: 'ON_TIME, LATE, MISSING or NOT_DUE, now.',
  })
  status: ComplianceStatus;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When revision 1 was submitted; null if not.',
  })
  submittedAt: Date | null;

  @Field(() => Int, { description: 'Revisions stored (amendments included).' })
  revisions: number;
}

@ObjectType({
  description: 'A count of enforcement actions; only the grouped keys are set.',
  simpleResolvers: true,
})
export class EnforcementStatsRow {
  @Field(() => DateScalar, {
    nullable: true,
    description:
      "WEEK: the Monday of the week the actions occurred, in their office's time zone; else null.",
  })
  week: string | null;

  @Field(() => String, { nullable: true, description: "OFFICE: the office's code; else null." })
  officeCode: string | null;

  @Field(() => PriorityCategory, {
    nullable: true,
    description: 'CATEGORY: the category; else null.',
  })
  category: PriorityCategory | null;

  @Field(() => ActionType, { nullable: true, description: 'ACTION_TYPE: the type; else null.' })
  actionType: ActionType | null;

  @Field(() => EnforcementBasis, { nullable: true, description: 'BASIS: the basis; else null.' })
  basis: EnforcementBasis | null;

  @Field(() => Int, {
    description: 'Enforcement actions under these keys, void ones excluded; always at least 1.',
  })
  count: number;
}

@ObjectType({
  description: 'Approval-request figures; only the grouped keys are set.',
  simpleResolvers: true,
})
export class ApprovalStatsRow {
  @Field(() => DateScalar, {
    nullable: true,
    description:
      "WEEK: the Monday of the week the requests were made, in their office's time zone; else null.",
  })
  week: string | null;

  @Field(() => String, { nullable: true, description: "OFFICE: the office's code; else null." })
  officeCode: string | null;

  @Field(() => ActionType, { nullable: true, description: 'ACTION_TYPE: the type; else null.' })
  actionType: ActionType | null;

  @Field(() => Int, {
    description:
      'Pre-action and vulnerable-removal requests made (post-action requests are not counted); always at least 1.',
  })
  requested: number;

  @Field(() => Int, { description: 'Of those, approved (expired approvals included).' })
  approved: number;

  @Field(() => Int, { description: 'Of those, denied.' })
  denied: number;

  @Field(() => Int, { description: 'Of those, still pending.' })
  pending: number;

  @Field(() => Int, { description: 'Of those, withdrawn by the requester.' })
  withdrawn: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'approved / (approved + denied), 0 to 1, rounded to four decimals; null when none was decided.',
  })
  approvalRate: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median hours from request to decision of the decided requests, to two decimals; null when none was decided.',
  })
  medianDecisionHours: number | null;
}
