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
  @Field(() => String, {
    description:
      "Two to eight capital letters (e.g. 'BOS'), unique: a code already taken is BAD_USER_INPUT naming `input.code`.",
  })
  @Matches(/^[A-Z]{2,8}$/, { message: 'must be two to eight capital letters' })
  code: string;

  @Field(() => String, { description: '1 to 200 characters, not blank; stored trimmed.' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => String, {
    description:
      "IANA time zone such as 'America/New_York' (or 'UTC'): the office's weeks and deadlines are counted in it.",
  })
  @Validate(IsIanaTimeZone)
  timeZone: string;
}

@InputType({
  description: 'A new user. Officers and supervisors belong to one office; headquarters to none.',
})
export class CreateUserInput {
  @Field(() => String, {
    description:
      'Sign-in email address, at most 254 characters; stored lower-case and unique (one taken is BAD_USER_INPUT naming `input.email`).',
  })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @Field(() => String, {
    description: 'Full name, 1 to 200 characters, not blank; stored trimmed.',
  })
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => Role, { description: 'What the user may do; see `Role`.' })
  role: Role;

  @Field(() => String, {
    nullable: true,
    description:
      "The office's code: required for officers and supervisors (an unknown code is BAD_USER_INPUT); must be absent for headquarters.",
  })
  @IsOptional()
  @Matches(/^[A-Z]{2,8}$/, { message: 'must be an office code' })
  officeCode?: string | null;
}

@InputType({
  description: 'Stops a user from signing in, at once and for every token already issued.',
})
export class DeactivateUserInput {
  @Field(() => ID, {
    description: 'The user to deactivate; not yourself (FORBIDDEN). Unknown: NOT_FOUND.',
  })
  userId: string;

  @Field(() => String, {
    description: 'Why, for the audit trail: 3 to 2000 characters, not blank.',
  })
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
