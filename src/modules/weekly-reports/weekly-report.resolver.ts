import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, toConnection } from '../../common/connection.types';
import { totalCountResolver } from '../../common/total-count';
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
import { headOf, weeklyReportHead, type ReportHead } from './weekly-report.reading';
import { actionCursor, actionsArgs } from './report-source';
import type { CountByKey, ExigentRow, WeeklyReportContent } from './weekly-report.content';
import * as stats from './stats.service';
import { statsMaxRows } from './stats.limits';
import {
  ApprovalStatsRow,
  EnforcementStatsRow,
  OfficeCompliance,
  ReportCount,
  WeeklyReport,
  WeeklyReportActionConnection,
  WeeklyReportExigentAction,
  WeeklyReportListing,
  WeeklyReportRequests,
  WeeklyReportRevision,
} from './weekly-report.types';
import { userLoaders } from '../users/user.loaders';

type ReportRoot = ReportHead & { officeCode: string };
const withCode = (v: ReportHead): ReportRoot => ({ ...v, officeCode: v.office.code });

@Resolver(() => WeeklyReport)
export class WeeklyReportResolver {
  @Query(() => WeeklyReport, {
    description:
      "The office's report for the week starting that Monday: the latest submitted revision (or `revision`), or a live draft.",
  })
  async weeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode', () => String) officeCode: string,
    @Arg('weekStart', () => DateScalar) weekStart: string,
    @Arg('revision', () => Int, { nullable: true }) revision?: number | null,
  ): Promise<ReportRoot> {
    return withCode(await weeklyReportHead(ctx, { officeCode, weekStart, revision }));
  }

  @Query(() => [WeeklyReportListing], {
    description: 'Office-weeks in a range, for listing: your office (headquarters: any).',
  })
  async weeklyReports(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WeeklyReportsFilter) filter: WeeklyReportsFilter,
  ): Promise<WeeklyReportListing[]> {
    return (await listing.weeklyReports(ctx, filter)).map((l) => ({
      ...l,
      officeCode: l.office.code,
    }));
  }

  @Query(() => [OfficeCompliance], {
    description: "Headquarters: every office's report for the week, on time, late or missing.",
  })
  async reportingCompliance(
    @Ctx() ctx: RequestContext,
    @Arg('weekStart', () => DateScalar) weekStart: string,
  ): Promise<OfficeCompliance[]> {
    return (await listing.reportingCompliance(ctx, weekStart)).map((c) => ({
      ...c,
      officeCode: c.office.code,
    }));
  }

  @Query(() => [EnforcementStatsRow], {
    description:
      'Counts of enforcement actions (void ones excluded), grouped by the given keys, in one list of at most STATS_MAX_ROWS rows (10,000 unless the operator set it): a bigger answer is refused with BAD_USER_INPUT naming `groupBy`, the paged form `enforcementStatsPage` and the export `/exports/enforcement-stats`.',
  })
  enforcementStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput) filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension]) groupBy: stats.StatsDimension[],
  ): Promise<EnforcementStatsRow[]> {
    return stats.enforcementStats(ctx, filter, groupBy, statsMaxRows(ctx));
  }

  @Query(() => [ApprovalStatsRow], {
    description:
      'Approval-request figures grouped by WEEK, OFFICE and ACTION_TYPE, in one list of at most STATS_MAX_ROWS rows: a bigger answer is refused with BAD_USER_INPUT naming `groupBy`, the paged form `approvalStatsPage` and the export `/exports/approval-stats`.',
  })
  approvalStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput) filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension]) groupBy: stats.StatsDimension[],
  ): Promise<ApprovalStatsRow[]> {
    return stats.approvalStats(ctx, filter, groupBy, statsMaxRows(ctx));
  }

  @Mutation(() => WeeklyReport, {
    description: "Supervisors: freezes an ended week's report of your office as revision 1.",
  })
  async submitWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SubmitWeeklyReportInput) input: SubmitWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(headOf(await reports.submitWeeklyReport(ctx, input)));
  }

  @Mutation(() => WeeklyReport, {
    description:
      'Supervisors: a new revision of a submitted week, from the current records, with a reason.',
  })
  async amendWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AmendWeeklyReportInput) input: AmendWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(headOf(await reports.amendWeeklyReport(ctx, input)));
  }

  @FieldResolver(() => Office)
  office(@Root() r: ReportRoot): OfficeEntity {
    return r.office;
  }

  @FieldResolver(() => Boolean, {
    description: 'Submitted after the due time (a draft: past due).',
  })
  late(@Root() r: ReportRoot, @Ctx() ctx: RequestContext): boolean {
    const first = r.revisions[0];
    return first
      ? first.submittedAt.getTime() > r.dueAt.getTime()
      : ctx.clock.now().getTime() > r.dueAt.getTime();
  }

  @FieldResolver(() => User, { nullable: true })
  async submittedBy(@Root() r: ReportRoot, @Ctx() ctx: RequestContext): Promise<UserEntity | null> {
    return r.submittedById ? required(await userLoaders(ctx).user.load(r.submittedById)) : null;
  }

  @FieldResolver(() => [String], { description: 'The policy versions in force during the week.' })
  policyVersions(@Root() r: ReportRoot): Promise<string[]> {
    return r.source.policyVersions();
  }

  @FieldResolver(() => WeeklyReportActionConnection, {
    description:
      "The report's enforcement actions (void ones excluded), a page at a time, in time order (then by action id): `first` 1 to 200 (default 50), `after` the previous page's `pageInfo.endCursor`; `totalCount` is every action of the report. A cursor stays valid across reads of the same week, a draft's and its submitted revision's alike. Errors: BAD_USER_INPUT naming `first` or `after`. Every action of a week in one file: GET /exports/weekly-report.",
  })
  async actions(@Root() r: ReportRoot, @Args(() => PageArgs) page: PageArgs): Promise<unknown> {
    const { first, after } = actionsArgs(page.first, page.after);
    return toConnection(await r.source.actions(first, after), actionCursor);
  }

  @FieldResolver(() => [ReportCount], {
    description: 'Every action of the week counted by priority category (keys in text order).',
  })
  async totalsByCategory(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byCategory;
  }

  @FieldResolver(() => [ReportCount], {
    description: 'Every action of the week counted by action type (keys in text order).',
  })
  async totalsByActionType(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byActionType;
  }

  @FieldResolver(() => [ReportCount], {
    description: 'Every action of the week counted by basis (keys in text order).',
  })
  async totalsByBasis(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byBasis;
  }

  @FieldResolver(() => WeeklyReportRequests, {
    description: 'Pre-approval requests made during the week.',
  })
  requests(@Root() r: ReportRoot): Promise<WeeklyReportContent['requests']> {
    return r.source.requests();
  }

  @FieldResolver(() => [WeeklyReportExigentAction], {
    description: 'Exigent actions and their post-action justifications.',
  })
  exigentActions(@Root() r: ReportRoot): Promise<ExigentRow[]> {
    return r.source.exigent();
  }

  @FieldResolver(() => Int)
  async latePostActionCount(@Root() r: ReportRoot): Promise<number> {
    return (await r.source.postActionCounts()).late;
  }

  @FieldResolver(() => Int)
  async missingPostActionCount(@Root() r: ReportRoot): Promise<number> {
    return (await r.source.postActionCounts()).missing;
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
  @FieldResolver(() => User)
  async submittedBy(
    @Root() r: WeeklyReportRevisionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(r.submittedById));
  }
}

export const WeeklyReportActionConnectionResolver = totalCountResolver(
  WeeklyReportActionConnection,
  'Every action of the report, across all pages.',
);
