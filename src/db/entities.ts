import { AssessmentEntity } from '../modules/assessments/assessment.entity';
import { PolicyVersionEntity } from '../modules/assessments/policy-version.entity';
import { ApprovalRequestEntity } from '../modules/approvals/approval.entity';
import { ApprovalDeadlineRunEntity } from '../modules/approvals/approval-deadline.entity';
import { AuditChainHeadEntity, AuditEntity } from '../modules/audit/audit.entity';
import { CaseEntity } from '../modules/cases/case.entity';
import { ConvictionEntity } from '../modules/cases/conviction.entity';
import { OfficeEntity } from '../modules/users/office.entity';
import {
  EnforcementActionEntity,
  EnforcementActionVoidEntity,
} from '../modules/enforcement-actions/enforcement-action.entity';
import { UserEntity } from '../modules/users/user.entity';
import {
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
} from '../modules/webhooks/webhook.entity';
import { IdempotencyKeyEntity } from '../server/idempotency.entity';
import {
  EnforcementCountByOfficeWeekEntity,
  EnforcementCountByWeekEntity,
  EnforcementWeeklyCountEntity,
  ReportWeekVersionEntity,
  WeeklyReportRevisionEntity,
  WeeklyReportRevisionActionEntity,
} from '../modules/weekly-reports/weekly-report.entity';

/** Every entity, listed explicitly (no globs: the same list works from `src` under jest and from `dist`). */
export const ENTITIES = [
  PolicyVersionEntity,
  AssessmentEntity,
  OfficeEntity,
  UserEntity,
  CaseEntity,
  ConvictionEntity,
  ApprovalRequestEntity,
  ApprovalDeadlineRunEntity,
  EnforcementActionEntity,
  EnforcementActionVoidEntity,
  WeeklyReportRevisionEntity,
  WeeklyReportRevisionActionEntity,
  EnforcementWeeklyCountEntity,
  EnforcementCountByWeekEntity,
  EnforcementCountByOfficeWeekEntity,
  ReportWeekVersionEntity,
  AuditEntity,
  AuditChainHeadEntity,
  IdempotencyKeyEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
];
