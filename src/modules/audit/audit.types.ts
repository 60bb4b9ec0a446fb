import { JSONResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { DateTimeScalar } from '../../common/scalars';
import { AuditKind } from './audit.entity';

registerEnumType(AuditKind, {
  name: 'AuditKind',
  description: 'A change, a read of subject identity, or work by the system itself.',
  valuesConfig: {
    CHANGE: { description: 'A mutation: the change it made, in the same transaction.' },
    READ: {
      description: 'A response that showed subject identity: the cases whose subject it showed.',
    },
    SYSTEM: { description: 'Work done by the system itself (seeding, migrations).' },
  },
});

@ObjectType({
  description:
    'One append-only audit record: committed with the operation it records, linked into the hash chain shortly after.',
})
export class AuditRecord {
  @Field(() => ID, {
    description:
      'Insertion number: the order records were written in (gaps are writes that rolled back). For records from before the chainer, also their chain position.',
  })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Position in the hash chain (gap-free, in the order records were seen committed); null until the chainer links the record, usually within a fraction of a second.',
  })
  chainPosition: string | null;

  @Field(() => DateTimeScalar, { description: 'When the operation happened.' })
  occurredAt: Date;

  @Field(() => AuditKind, { description: 'CHANGE, READ or SYSTEM.' })
  kind: AuditKind;

  @Field(() => ID, { nullable: true, description: 'The user who acted; null for the system.' })
  actorId: string | null;

  @Field(() => String, { nullable: true, description: 'Their role at the time.' })
  actorRole: string | null;

  @Field(() => ID, { nullable: true, description: 'Their office at the time.' })
  actorOfficeId: string | null;

  @Field(() => String, { description: "The operation, e.g. 'openCase'." })
  operation: string;

  @Field(() => String, {
    nullable: true,
    description: "The kind of record concerned, e.g. 'Case', 'ApprovalRequest'; null if none.",
  })
  recordType: string | null;

  @Field(() => [ID], {
    description: 'The records concerned (for a read: every case whose subject was shown).',
  })
  recordIds: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Why, where the operation asks for a reason.',
  })
  reason: string | null;

  @Field(() => JSONResolver, {
    nullable: true,
    description: 'What changed: before and after values.',
  })
  change: unknown;

  @Field(() => String, {
    nullable: true,
    description:
      "The HTTP request's id, as echoed in its `x-request-id` response header and the server log; null for the system.",
  })
  requestId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'HMAC-SHA256 (keyed with the audit key; plain sha256 for records from before the key) of the previous hash, the position, the insertion number and this record; null until chained.',
  })
  hash: string | null;
}

@ObjectType({ description: 'An audit record in a list.' })
export class AuditRecordEdge {
  @Field(() => AuditRecord, { description: 'The audit record.' })
  node: AuditRecord;

  @Field(() => String, {
    description: 'Opaque position of this record in the trail: pass it as `after` to read on.',
  })
  cursor: string;
}

@ObjectType({ description: 'A page of audit records, newest first.' })
export class AuditRecordConnection {
  @Field(() => [AuditRecordEdge], {
    description: 'At most `first` records, the latest written first (by `id`).',
  })
  edges: AuditRecordEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: 'The result of re-verifying the whole audit hash chain.' })
export class AuditIntegrity {
  @Field(() => Boolean, { description: 'True when every record and link verifies.' })
  ok: boolean;

  @Field(() => Int, {
    description: 'Chained records verified (up to and including the first broken one).',
  })
  checked: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The chain position of the first record where the chain breaks.',
  })
  firstBrokenId: string | null;

  @Field(() => [String], {
    description:
      'What is wrong, one sentence each: a changed or missing record, a head that is not the last record, records missing since the latest checkpoint, a checkpoint file missing or not validly signed, a record waiting to be chained without a valid MAC. Empty when ok.',
  })
  problems: string[];

  @Field(() => ID, {
    nullable: true,
    description: 'The position of the latest signed checkpoint the log was verified against.',
  })
  checkpointSeq: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When that checkpoint was taken.',
  })
  checkpointAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The chain head: records up to this position are linked (and verified above). Null if the head row is missing.',
  })
  chainedThrough: string | null;

  @Field(() => Int, {
    description:
      "Committed records the chainer has not linked yet (normally none, or a few for a fraction of a second). Each one's MAC is checked; one without a valid MAC is a problem above.",
  })
  pendingRecords: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When the oldest record not linked yet happened: how far behind the chainer is. Null when none is waiting.',
  })
  oldestPendingAt: Date | null;
}
