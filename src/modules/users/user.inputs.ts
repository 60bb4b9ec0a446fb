import {
  IsEmail,
  IsOptional,
  Length,
  Matches,
  MaxLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Role } from '../../auth/role';

@ValidatorConstraint({ name: 'isIanaTimeZone' })
export class IsIanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !value.includes('/')) return value === 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return "must be an IANA time zone such as 'America/New_York'";
  }
}

@InputType({ description: 'A new field office.' })
export class CreateOfficeInput {
  @Field(() => String, { description: 'Two to eight capital letters, unique.' })
  @Matches(/^[A-Z]{2,8}$/, { message: 'must be two to eight capital letters' })
  code: string;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => String)
  @Validate(IsIanaTimeZone)
  timeZone: string;
}

@InputType({
  description: 'A new user. Officers and supervisors belong to one office; headquarters to none.',
})
export class CreateUserInput {
  @Field(() => String)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => String, {
    nullable: true,
    description: 'Required for officers and supervisors; must be absent for headquarters.',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2,8}$/, { message: 'must be an office code' })
  officeCode?: string | null;
}

@InputType({
  description: 'Stops a user from signing in, at once and for every token already issued.',
})
export class DeactivateUserInput {
  @Field(() => ID)
  userId: string;

  @Field(() => String, { description: 'Why, for the audit trail.' })
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
