/** The paged figures as Relay connections: edges of figure rows, page info, and the lazy total. */
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { totalCountResolver } from '../../common/total-count';
import { ApprovalStatsRow, EnforcementStatsRow } from './weekly-report.types';
import { DEFAULT_STATS_PAGE, MAX_STATS_PAGE } from './stats.paging';

/** The page a paged figure asks for. Figure rows are small: pages go up to 1,000 of them. */
@ArgsType()
export class StatsPageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Rows on the page, 1 to ${MAX_STATS_PAGE} (default ${DEFAULT_STATS_PAGE}); otherwise BAD_USER_INPUT naming \`first\`.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The previous page's `pageInfo.endCursor` (opaque; from the same filter and grouping). Anything else: BAD_USER_INPUT naming `after`.",
  })
  after?: string | null;
}

@ObjectType({ description: 'One enforcement figure on a page, with its cursor.' })
export class EnforcementStatsEdge {
  @Field(() => EnforcementStatsRow, { description: 'The row: only the grouped keys are set.' })
  node: EnforcementStatsRow;

  @Field(() => String, { description: 'Pass as `after` to continue after this row.' })
  cursor: string;
}

@ObjectType({
  description:
    'A page of enforcement figures, ordered by the grouped keys: week, office code, category, action type, basis (enums in their declared order).',
})
export class EnforcementStatsConnection {
  @Field(() => [EnforcementStatsEdge], {
    description:
      'The rows of this page, in the list form order (week, office code, then the other keys).',
  })
  edges: EnforcementStatsEdge[];

  @Field(() => PageInfo, {
    description: 'Whether more rows follow, and the cursor to pass as `after` for them.',
  })
  pageInfo: PageInfo;

  // `totalCount` is a field resolver: counted only when asked for.
}

@ObjectType({ description: 'One approval figure on a page, with its cursor.' })
export class ApprovalStatsEdge {
  @Field(() => ApprovalStatsRow, { description: 'The row: only the grouped keys are set.' })
  node: ApprovalStatsRow;

  @Field(() => String, { description: 'Pass as `after` to continue after this row.' })
  cursor: string;
}

@ObjectType({
  description:
    'A page of approval-request figures, ordered by the grouped keys: week, office code, action type (in its declared order).',
})
export class ApprovalStatsConnection {
  @Field(() => [ApprovalStatsEdge], {
    description:
      'The rows of this page, in the list form order (week, office code, then action type).',
  })
  edges: ApprovalStatsEdge[];

  @Field(() => PageInfo, {
    description: 'Whether more rows follow, and the cursor to pass as `after` for them.',
  })
  pageInfo: PageInfo;
}

export const EnforcementStatsConnectionResolver = totalCountResolver(
  EnforcementStatsConnection,
  'How many rows the grouping gives over the filter, across all pages (counted only when selected).',
);

export const ApprovalStatsConnectionResolver = totalCountResolver(
  ApprovalStatsConnection,
  'How many rows the grouping gives over the filter, across all pages.',
);
