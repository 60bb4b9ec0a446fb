/** Every migration in order. Listed explicitly so the same list works under jest (TypeScript) and from dist. */
import { CreateBaseline1795960341023 } from './1795960341023-CreateBaseline';
import { AddAssessments1795961444525 } from './1795961444525-AddAssessments';
import { AddApprovalsAndEnforcementActions1795961894211 } from './1795961894211-AddApprovalsAndEnforcementActions';
import { AddWeeklyReports1795962188736 } from './1795962188736-AddWeeklyReports';
import { ReplaceApprovalStatsIndex1795966302324 } from './1795966302324-ReplaceApprovalStatsIndex';
import { SerializeWeeklyCountScans1795967144679 } from './1795967144679-SerializeWeeklyCountScans';
import { AddActionReportColumns1795971170530 } from './1795971170530-AddActionReportColumns';
import { AddFigureRollups1795972466292 } from './1795972466292-AddFigureRollups';
import { AddApprovalRequestWeeks1795973682731 } from './1795973682731-AddApprovalRequestWeeks';
import { AddReportWeekVersions1795976042698 } from './1795976042698-AddReportWeekVersions';
import { AddRateLimits1795979311000 } from './1795979311000-AddRateLimits';
import { AddAuditKeyVersion1795980000000 } from './1795980000000-AddAuditKeyVersion';
import { CreateServiceRole1795980000001 } from './1795980000001-CreateServiceRole';
import { AddReadinessProbe1795980000002 } from './1795980000002-AddReadinessProbe';
import { AddIdempotencyKeys1796190708842 } from './1796190708842-AddIdempotencyKeys';
import { AddOfficeWeekStart1796300000000 } from './1796300000000-AddOfficeWeekStart';
import { AddAuditChainer1796400000000 } from './1796400000000-AddAuditChainer';
import { AddApprovalDeadlineRuns1796500000000 } from './1796500000000-AddApprovalDeadlineRuns';
import { AddWebhooks1796600000000 } from './1796600000000-AddWebhooks';
import { AddRevisionActions1796650000000 } from './1796650000000-AddRevisionActions';

export const MIGRATIONS = [
  CreateBaseline1795960341023,
  AddAssessments1795961444525,
  AddApprovalsAndEnforcementActions1795961894211,
  AddWeeklyReports1795962188736,
  ReplaceApprovalStatsIndex1795966302324,
  SerializeWeeklyCountScans1795967144679,
  AddActionReportColumns1795971170530,
  AddFigureRollups1795972466292,
  AddApprovalRequestWeeks1795973682731,
  AddReportWeekVersions1795976042698,
  AddRateLimits1795979311000,
  AddAuditKeyVersion1795980000000,
  CreateServiceRole1795980000001,
  AddReadinessProbe1795980000002,
  AddIdempotencyKeys1796190708842,
  AddOfficeWeekStart1796300000000,
  AddAuditChainer1796400000000,
  AddApprovalDeadlineRuns1796500000000,
  AddWebhooks1796600000000,
  AddRevisionActions1796650000000,
];
