import { ArrayMaxSize, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { ReportStatus } from './weekly-report.due';

@InputType({ description: "Freezes an ended week's report as revision 1." })
export class SubmitWeeklyReportInput {
  @Field(() => String, { description: "Your office's code (another office: NOT_FOUND)." })
  officeCode: string;

  @Field(() => DateScalar, {
    description:
      "The Monday the week starts (another day: BAD_USER_INPUT); the week must have ended in the office's time zone (else CONFLICT).",
  })
  weekStart: string;

  @Field(() => String, { nullable: true, description: 'A note, 1 to 5000 characters; optional.' })
  @IsOptional()
  @Length(1, 5000)
  note?: string | null;
}

@InputType({ description: 'Stores a new revision of a submitted week from the current records.' })
export class AmendWeeklyReportInput {
  @Field(() => String, { description: "Your office's code (another office: NOT_FOUND)." })
  officeCode: string;

  @Field(() => DateScalar, {
    description: 'The Monday of a submitted week (another day: BAD_USER_INPUT).',
  })
  weekStart: string;

  @Field(() => String, {
    description: 'Why it is corrected: 3 to 5000 characters, not blank.',
  })
  @Length(3, 5000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({ description: 'Which office-weeks to list.' })
export class WeeklyReportsFilter {
  @Field(() => [String], {
    nullable: true,
    description:
      "Offices by code, at most 100. Default: your office (headquarters: all). Another office's code, or an unknown one: NOT_FOUND.",
  })
  @ArrayMaxSize(100)
  officeCodes?: string[] | null;

  @Field(() => DateScalar, {
    description:
      'From the week holding this date (widened to its Monday); not after `to` (else BAD_USER_INPUT).',
  })
  from: string;

  @Field(() => DateScalar, {
    description:
      "To the week holding this date, inclusive. Weeks not yet started in an office's time zone are left out; at most 5000 office-weeks in all (else BAD_USER_INPUT).",
  })
  to: string;

  @Field(() => ReportStatus, {
    nullable: true,
    description: 'Only weeks in this status (DRAFT: not submitted).',
  })
  status?: ReportStatus | null;
}

@InputType('StatsFilter', {
  description:
    "The range and filters of figures. Weeks are inclusive: the week holding `from` to the week holding `to`, whole weeks only. Each record counts in the week it fell in its own office's time zone (Monday 00:00 to Monday 00:00 local). Filters combine with AND; a list filter matches any of its values.",
})
export class StatsFilterInput {
  @Field(() => DateScalar, {
    description:
      'The range starts with the whole week (Monday to Sunday) holding this date: a mid-week date widens to its Monday. Not after `to` (else BAD_USER_INPUT).',
  })
  from: string;

  @Field(() => DateScalar, {
    description:
      'The range ends with the whole week holding this date, inclusive: a mid-week date widens to its Sunday.',
  })
  to: string;

  @Field(() => [String], {
    nullable: true,
    description:
      "Only these offices, by code, at most 100. Default: your office (headquarters: all). Another office's code, or an unknown one: NOT_FOUND.",
  })
  @ArrayMaxSize(100)
  officeCodes?: string[] | null;

  @Field(() => [PriorityCategory], {
    nullable: true,
    description: 'Only actions in these categories (enforcementStats only).',
  })
  categories?: PriorityCategory[] | null;

  @Field(() => [ActionType], {
    nullable: true,
    description: 'Only actions (or requests) of these types.',
  })
  actionTypes?: ActionType[] | null;

  @Field(() => [EnforcementBasis], {
    nullable: true,
    description: 'Only actions on these bases (enforcementStats only).',
  })
  bases?: EnforcementBasis[] | null;
}
