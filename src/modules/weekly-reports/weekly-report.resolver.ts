import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { required } from '../../common/required';
import { DateScalar } from '../../common/scalars';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';
import { Office, User } from '../users/user.types';
import { WeeklyReportRevisionEntity } from './weekly-report.entity';
import {
  AmendWeeklyReportInput,
  StatsFilterInput,
  SubmitWeeklyReportInput,
  WeeklyReportsFilter,
} from './weekly-report.inputs';
import * as listing from './weekly-report.listing';
import * as reports from './weekly-report.service';
import * as stats from './stats.service';
import {
  ApprovalStatsRow,
  EnforcementStatsRow,
  OfficeCompliance,
  ReportCount,
  WeeklyReport,
  WeeklyReportAction,
  WeeklyReportExigentAction,
  WeeklyReportListing,
  WeeklyReportRequests,
  WeeklyReportRevision,
} from './weekly-report.types';
import { userLoaders } from '../users/user.loaders';

type ReportRoot = reports.ReportView & { officeCode: string };
const withCode = (v: reports.ReportView): ReportRoot => ({ ...v, officeCode: v.office.code });

@Resolver(() => WeeklyReport)
export class WeeklyReportResolver {
  @Query(() => WeeklyReport, {
    description:
      "Supervisors (their own office) and headquarters (any): the office's report for the week starting that Monday: the latest submitted revision (or the one asked for), else a live draft compiled from the records now. NOT_FOUND: another office or an unknown code, or no such revision; BAD_USER_INPUT: `weekStart` not a Monday, or a week not started yet in the office's time zone.",
  })
  async weeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode', () => String, { description: "The office's code, e.g. 'NYC'." })
    officeCode: string,
    @Arg('weekStart', () => DateScalar, {
      description: "The Monday the week starts (the office's local calendar).",
    })
    weekStart: string,
    @Arg('revision', () => Int, {
      nullable: true,
      description: 'A stored revision to read (1 = the submission); default: the latest.',
    })
    revision?: number | null,
  ): Promise<ReportRoot> {
    return withCode(await reports.weeklyReport(ctx, { officeCode, weekStart, revision }));
  }

  @Query(() => [WeeklyReportListing], {
    description:
      'Supervisors (their own office) and headquarters (any): every office-week in a range, submitted or not, without content: by office (in the order `officeCodes` gives, else by code), then week, oldest first. NOT_FOUND: an office you may not read; BAD_USER_INPUT: `from` after `to`, more than 5000 office-weeks.',
  })
  async weeklyReports(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WeeklyReportsFilter, { description: 'Which office-weeks to list.' })
    filter: WeeklyReportsFilter,
  ): Promise<WeeklyReportListing[]> {
    return (await listing.weeklyReports(ctx, filter)).map((l) => ({
      ...l,
      officeCode: l.office.code,
    }));
  }

  @Query(() => [OfficeCompliance], {
    description:
      "Headquarters only (others: FORBIDDEN): every office's report for the week, by office code: on time, late, missing or not yet due. BAD_USER_INPUT: `weekStart` not a Monday.",
  })
  async reportingCompliance(
    @Ctx() ctx: RequestContext,
    @Arg('weekStart', () => DateScalar, {
      description: "The Monday the week starts (each office's local calendar).",
    })
    weekStart: string,
  ): Promise<OfficeCompliance[]> {
    return (await listing.reportingCompliance(ctx, weekStart)).map((c) => ({
      ...c,
      officeCode: c.office.code,
    }));
  }

  @Query(() => [EnforcementStatsRow], {
    description:
      'Supervisors (their own office) and headquarters (any): counts of enforcement actions (void ones excluded) in whole weeks, grouped by the given keys; ordered by week, office code, then the other keys; only groups with a count. No subject identity. NOT_FOUND: an office you may not read; BAD_USER_INPUT: `from` after `to`.',
  })
  enforcementStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput, {
      description: 'The weeks, offices and values to count.',
    })
    filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension], {
      description:
        'The keys to group by, in any order (duplicates ignored); empty: one total row (none when nothing matched).',
    })
    groupBy: stats.StatsDimension[],
  ): Promise<EnforcementStatsRow[]> {
    return stats.enforcementStats(ctx, filter, groupBy);
  }

  @Query(() => [ApprovalStatsRow], {
    description:
      "Supervisors (their own office) and headquarters (any): pre-action and vulnerable-removal requests made in whole weeks (the week each was made, office's time zone), how they stand, approval rate and median decision time; ordered by week, office code, then action type. NOT_FOUND: an office you may not read; BAD_USER_INPUT: grouping by CATEGORY or BASIS, filtering by `categories` or `bases`, `from` after `to`.",
  })
  approvalStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput, {
      description: 'The weeks, offices and action types (`categories` and `bases` must be absent).',
    })
    filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension], {
      description:
        'WEEK, OFFICE and/or ACTION_TYPE; empty: one total row (none when nothing matched).',
    })
    groupBy: stats.StatsDimension[],
  ): Promise<ApprovalStatsRow[]> {
    return stats.approvalStats(ctx, filter, groupBy);
  }

  @Mutation(() => WeeklyReport, {
    description:
      "Supervisors of the office only: freezes an ended week's report of your office as revision 1, compiled from the records now; the answer's `late` says whether it came after `dueAt`. NOT_FOUND: another office; BAD_USER_INPUT: `weekStart` not a Monday; CONFLICT: the week has not ended in the office's time zone, or is already submitted (amend it instead).",
  })
  async submitWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SubmitWeeklyReportInput, {
      description: 'Your office, the Monday of an ended week, and an optional note.',
    })
    input: SubmitWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(await reports.submitWeeklyReport(ctx, input));
  }

  @Mutation(() => WeeklyReport, {
    description:
      'Supervisors of the office only: stores a new revision of a submitted week, compiled from the current records, with a reason; earlier revisions stay readable. NOT_FOUND: another office; BAD_USER_INPUT: `weekStart` not a Monday; CONFLICT: the week was never submitted.',
  })
  async amendWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AmendWeeklyReportInput, {
      description: 'Your office, the Monday of a submitted week, and why it is amended.',
    })
    input: AmendWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(await reports.amendWeeklyReport(ctx, input));
  }

  @FieldResolver(() => Office, { description: 'The office, with its time zone.' })
  office(@Root() r: ReportRoot): OfficeEntity {
    return r.office;
  }

  @FieldResolver(() => Boolean, {
    description:
      'Revision 1 was submitted after `dueAt`; for a draft: `dueAt` has passed (the report is missing).',
  })
  late(@Root() r: ReportRoot, @Ctx() ctx: RequestContext): boolean {
    const first = r.revisions[0];
    return first
      ? first.submittedAt.getTime() > r.dueAt.getTime()
      : ctx.clock.now().getTime() > r.dueAt.getTime();
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who stored the revision shown; null for a draft.',
  })
  async submittedBy(@Root() r: ReportRoot, @Ctx() ctx: RequestContext): Promise<UserEntity | null> {
    return r.submittedById ? required(await userLoaders(ctx).user.load(r.submittedById)) : null;
  }

  @FieldResolver(() => [String], {
    description: 'The codes of the policy versions in force on any day of the week.',
  })
  policyVersions(@Root() r: ReportRoot): string[] {
    return r.content.policyVersions;
  }

  @FieldResolver(() => [WeeklyReportAction], {
    description:
      'One row per enforcement action of the week (void ones excluded), oldest first. No subject identity.',
  })
  actions(@Root() r: ReportRoot): WeeklyReportAction[] {
    return r.content.actions as WeeklyReportAction[];
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per category, keys in alphabetical order.",
  })
  totalsByCategory(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByCategory;
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per action type, keys in alphabetical order.",
  })
  totalsByActionType(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByActionType;
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per basis, keys in alphabetical order.",
  })
  totalsByBasis(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByBasis;
  }

  @FieldResolver(() => WeeklyReportRequests, {
    description:
      "Pre-action and vulnerable-removal requests made during the week (office's time zone), by where they stand.",
  })
  requests(@Root() r: ReportRoot): WeeklyReportRequests {
    return r.content.requests;
  }

  @FieldResolver(() => [WeeklyReportExigentAction], {
    description:
      "The week's exigent actions and where their post-action justifications stand, oldest first.",
  })
  exigentActions(@Root() r: ReportRoot): WeeklyReportExigentAction[] {
    return r.content.exigent;
  }

  @FieldResolver(() => Int, {
    description: 'Exigent actions of the week whose justification came after its deadline.',
  })
  latePostActionCount(@Root() r: ReportRoot): number {
    return r.content.latePostActionCount;
  }

  @FieldResolver(() => Int, {
    description:
      'Exigent actions of the week past their deadline with no justification (when compiled).',
  })
  missingPostActionCount(@Root() r: ReportRoot): number {
    return r.content.missingPostActionCount;
  }

  @FieldResolver(() => [WeeklyReportRevision], {
    description: 'Every stored revision, oldest first (read one with `revision`).',
  })
  revisions(@Root() r: ReportRoot): WeeklyReportRevisionEntity[] {
    return r.revisions;
  }
}

@Resolver(() => WeeklyReportRevision)
export class WeeklyReportRevisionResolver {
  @FieldResolver(() => User, { description: 'The supervisor who stored this revision.' })
  async submittedBy(
    @Root() r: WeeklyReportRevisionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(r.submittedById));
  }
}
