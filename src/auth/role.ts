import { registerEnumType } from 'type-graphql';

/** DOMAIN.md "People and places". */
export enum Role {
  FIELD_OFFICER = 'FIELD_OFFICER',
  SUPERVISOR = 'SUPERVISOR',
  HEADQUARTERS = 'HEADQUARTERS',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do, and where.',
  valuesConfig: {
    FIELD_OFFICER: { description: 'An officer or agent in one field office.' },
    SUPERVISOR: {
      description:
        'The chain of command of one field office: decides its pre-approval requests and submits its reports.',
    },
    HEADQUARTERS: {
      description: 'Agency leadership: reads every office, administers, does no field work.',
    },
  },
});
