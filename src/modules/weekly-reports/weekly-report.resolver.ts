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
  WeeklyReportExigentAction,
  WeeklyReportListing,
  WeeklyReportRequests,
  WeeklyReportRevision,
} from './weekly-report.types';
import { WeeklyReportActionConnection } from './weekly-report.actions.types';
import { userLoaders } from '../users/user.loaders';

type ReportRoot = ReportHead & { officeCode: string };
const withCode = (v: ReportHead): ReportRoot => ({ ...v, officeCode: v.office.code });

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
    return withCode(await weeklyReportHead(ctx, { officeCode, weekStart, revision }));
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
      'Supervisors (their own office) and headquarters (any): counts of enforcement actions (void ones excluded) in whole weeks, grouped by the given keys; ordered by week, office code, then the other keys; only groups with a count. No subject identity. NOT_FOUND: an office you may not read; BAD_USER_INPUT: `from` after `to`. One list of at most STATS_MAX_ROWS rows (10,000 unless the operator set it): a bigger answer is refused with BAD_USER_INPUT naming `groupBy`, the paged form `enforcementStatsPage` and the export `/exports/enforcement-stats`.',
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
    return stats.enforcementStats(ctx, filter, groupBy, statsMaxRows(ctx));
  }

  @Query(() => [ApprovalStatsRow], {
    description:
      "Supervisors (their own office) and headquarters (any): pre-action and vulnerable-removal requests made in whole weeks (the week each was made, office's time zone), how they stand, approval rate and median decision time; ordered by week, office code, then action type. NOT_FOUND: an office you may not read; BAD_USER_INPUT: grouping by CATEGORY or BASIS, filtering by `categories` or `bases`, `from` after `to`. One list of at most STATS_MAX_ROWS rows: a bigger answer is refused with BAD_USER_INPUT naming `groupBy`, the paged form `approvalStatsPage` and the export `/exports/approval-stats`.",
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
    return stats.approvalStats(ctx, filter, groupBy, statsMaxRows(ctx));
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
    return withCode(headOf(await reports.submitWeeklyReport(ctx, input)));
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
    return withCode(headOf(await reports.amendWeeklyReport(ctx, input)));
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
  policyVersions(@Root() r: ReportRoot): Promise<string[]> {
    return r.source.policyVersions();
  }

  @FieldResolver(() => WeeklyReportActionConnection, {
    description:
      "The report's enforcement actions (void ones excluded; no subject identity), a page at a time, in time order (then by action id): `first` 1 to 200 (default 50), `after` the previous page's `pageInfo.endCursor`; `totalCount` is every action of the report. A cursor stays valid across reads of the same week, a draft's and its submitted revision's alike. Errors: BAD_USER_INPUT naming `first` or `after`. Every action of a week in one file: GET /exports/weekly-report.",
  })
  async actions(@Root() r: ReportRoot, @Args(() => PageArgs) page: PageArgs): Promise<unknown> {
    const { first, after } = actionsArgs(page.first, page.after);
    return toConnection(await r.source.actions(first, after), actionCursor);
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per category, keys in alphabetical order.",
  })
  async totalsByCategory(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byCategory;
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per action type, keys in alphabetical order.",
  })
  async totalsByActionType(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byActionType;
  }

  @FieldResolver(() => [ReportCount], {
    description: "The week's actions per basis, keys in alphabetical order.",
  })
  async totalsByBasis(@Root() r: ReportRoot): Promise<CountByKey[]> {
    return (await r.source.totals()).byBasis;
  }

  @FieldResolver(() => WeeklyReportRequests, {
    description:
      "Pre-action and vulnerable-removal requests made during the week (office's time zone), by where they stand.",
  })
  requests(@Root() r: ReportRoot): Promise<WeeklyReportContent['requests']> {
    return r.source.requests();
  }

  @FieldResolver(() => [WeeklyReportExigentAction], {
    description:
      "The week's exigent actions and where their post-action justifications stand, oldest first.",
  })
  exigentActions(@Root() r: ReportRoot): Promise<ExigentRow[]> {
    return r.source.exigent();
  }

  @FieldResolver(() => Int, {
    description: 'Exigent actions of the week whose justification came after its deadline.',
  })
  async latePostActionCount(@Root() r: ReportRoot): Promise<number> {
    return (await r.source.postActionCounts()).late;
  }

  @FieldResolver(() => Int, {
    description:
      'Exigent actions of the week past their deadline with no justification (as of the read or the revision).',
  })
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
  @FieldResolver(() => User, { description: 'The supervisor who stored this revision.' })
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
