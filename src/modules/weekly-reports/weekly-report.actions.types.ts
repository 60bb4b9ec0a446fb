/** A weekly report's actions, a page at a time (the `actions` connection). */
import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { WeeklyReportAction } from './weekly-report.types';

@ObjectType({ description: "One action on a page of a weekly report's actions, with its cursor." })
export class WeeklyReportActionEdge {
  @Field(() => WeeklyReportAction, { description: 'The action.' })
  node: WeeklyReportAction;

  @Field(() => String, { description: 'Pass as `after` to continue after this action.' })
  cursor: string;
}

@ObjectType({
  description:
    "A page of a weekly report's actions, in time order (then by action id). `totalCount` is every action of the report.",
})
export class WeeklyReportActionConnection {
  @Field(() => [WeeklyReportActionEdge], {
    description: 'The actions of this page, oldest first (then by action id).',
  })
  edges: WeeklyReportActionEdge[];

  @Field(() => PageInfo, {
    description: 'Whether more actions follow, and the cursor to pass as `after` for them.',
  })
  pageInfo: PageInfo;

  // `totalCount` is a field resolver.
}
