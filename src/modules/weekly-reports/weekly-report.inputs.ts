import { ArrayMaxSize, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { ReportStatus } from './weekly-report.due';

@InputType({ description: "Freezes an ended week's report as revision 1." })
export class SubmitWeeklyReportInput {
  @Field(() => String)
  officeCode: string;

  @Field(() => DateScalar, { description: 'A Monday.' })
  weekStart: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  note?: string | null;
}

@InputType({ description: 'Stores a new revision of a submitted week from the current records.' })
export class AmendWeeklyReportInput {
  @Field(() => String)
  officeCode: string;

  @Field(() => DateScalar)
  weekStart: string;

  @Field(() => String)
  @Length(3, 5000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({ description: 'Which office-weeks to list.' })
export class WeeklyReportsFilter {
  @Field(() => [String], {
    nullable: true,
    description: 'Default: your office (headquarters: all).',
  })
  @ArrayMaxSize(100)
  officeCodes?: string[] | null;

  @Field(() => DateScalar)
  from: string;

  @Field(() => DateScalar)
  to: string;

  @Field(() => ReportStatus, { nullable: true })
  status?: ReportStatus | null;
}

@InputType('StatsFilter', {
  description:
    'The range and filters of figures. Weeks are inclusive: the week holding `from` to the week holding `to`.',
})
export class StatsFilterInput {
  @Field(() => DateScalar)
  from: string;

  @Field(() => DateScalar)
  to: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Default: your office (headquarters: all).',
  })
  @ArrayMaxSize(100)
  officeCodes?: string[] | null;

  @Field(() => [PriorityCategory], { nullable: true })
  categories?: PriorityCategory[] | null;

  @Field(() => [ActionType], { nullable: true })
  actionTypes?: ActionType[] | null;

  @Field(() => [EnforcementBasis], { nullable: true })
  bases?: EnforcementBasis[] | null;
}
