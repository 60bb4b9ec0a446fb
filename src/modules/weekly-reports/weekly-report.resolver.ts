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
      "The office's report for the week starting that Monday: the latest submitted revision (or `revision`), or a live draft.",
  })
  async weeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('officeCode', () => String) officeCode: string,
    @Arg('weekStart', () => DateScalar) weekStart: string,
    @Arg('revision', () => Int, { nullable: true }) revision?: number | null,
  ): Promise<ReportRoot> {
    return withCode(await reports.weeklyReport(ctx, { officeCode, weekStart, revision }));
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
    description: 'Counts of enforcement actions (void ones excluded), grouped by the given keys.',
  })
  enforcementStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput) filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension]) groupBy: stats.StatsDimension[],
  ): Promise<EnforcementStatsRow[]> {
    return stats.enforcementStats(ctx, filter, groupBy);
  }

  @Query(() => [ApprovalStatsRow], {
    description: 'Approval-request figures grouped by WEEK, OFFICE and ACTION_TYPE.',
  })
  approvalStats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput) filter: StatsFilterInput,
    @Arg('groupBy', () => [stats.StatsDimension]) groupBy: stats.StatsDimension[],
  ): Promise<ApprovalStatsRow[]> {
    return stats.approvalStats(ctx, filter, groupBy);
  }

  @Mutation(() => WeeklyReport, {
    description: "Supervisors: freezes an ended week's report of your office as revision 1.",
  })
  async submitWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SubmitWeeklyReportInput) input: SubmitWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(await reports.submitWeeklyReport(ctx, input));
  }

  @Mutation(() => WeeklyReport, {
    description:
      'Supervisors: a new revision of a submitted week, from the current records, with a reason.',
  })
  async amendWeeklyReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AmendWeeklyReportInput) input: AmendWeeklyReportInput,
  ): Promise<ReportRoot> {
    return withCode(await reports.amendWeeklyReport(ctx, input));
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
  policyVersions(@Root() r: ReportRoot): string[] {
    return r.content.policyVersions;
  }

  @FieldResolver(() => [WeeklyReportAction], {
    description: 'One row per enforcement action, in time order.',
  })
  actions(@Root() r: ReportRoot): WeeklyReportAction[] {
    return r.content.actions as WeeklyReportAction[];
  }

  @FieldResolver(() => [ReportCount])
  totalsByCategory(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByCategory;
  }

  @FieldResolver(() => [ReportCount])
  totalsByActionType(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByActionType;
  }

  @FieldResolver(() => [ReportCount])
  totalsByBasis(@Root() r: ReportRoot): ReportCount[] {
    return r.content.totalsByBasis;
  }

  @FieldResolver(() => WeeklyReportRequests, {
    description: 'Pre-approval requests made during the week.',
  })
  requests(@Root() r: ReportRoot): WeeklyReportRequests {
    return r.content.requests;
  }

  @FieldResolver(() => [WeeklyReportExigentAction], {
    description: 'Exigent actions and their post-action justifications.',
  })
  exigentActions(@Root() r: ReportRoot): WeeklyReportExigentAction[] {
    return r.content.exigent;
  }

  @FieldResolver(() => Int)
  latePostActionCount(@Root() r: ReportRoot): number {
    return r.content.latePostActionCount;
  }

  @FieldResolver(() => Int)
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
  @FieldResolver(() => User)
  async submittedBy(
    @Root() r: WeeklyReportRevisionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(r.submittedById));
  }
}
