/**
 * `policy:docs` writes docs/policy.md from the engine's own definitions; `policy:check` fails when
 * the committed file differs, so the document cannot drift from the rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { POLICY_VERSIONS } from '../modules/assessments/policy/engine';
import type { PolicyParameters } from '../modules/assessments/policy/types';

const PARAMETER_LABELS: Record<keyof PolicyParameters, string> = {
  borderCutoff: 'Border-security cut-off date',
  gangParticipationMinAge: 'Minimum age at gang or TCO participation',
  custodyReleaseFrom: 'Custody release on or after',
  minRationaleLength: 'Minimum written rationale (characters)',
  minJustificationLength: 'Minimum pre-approval justification (characters)',
  exigentDeadlineHours: 'Post-action request due after an exigent action (hours)',
  approvalValidityDays: 'Approval valid for (days)',
  weeklyReportDueHours: 'Weekly report due after the week ends (hours)',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderPolicyDocs(): string {
  const out: string[] = [
    '# Policy versions and criteria',
    '',
    'Generated from `src/modules/assessments/policy/` by `npm run policy:docs`; CI fails if it drifts.',
    'Effective dates below are the dates each version was issued to take effect; the schedule in force',
    'lives in the database (`policyVersions`), where headquarters can change it.',
    '',
  ];
  for (const v of POLICY_VERSIONS) {
    out.push(`## ${v.code}: ${v.title}`, '');
    out.push(`- Source: ${v.source}`);
    out.push(
      `- In force: ${v.defaultEffectiveFrom} to ${v.defaultEffectiveTo ?? 'open-ended'} (inclusive)`,
    );
    out.push(
      `- Presumptions: ${v.presumptions ? 'yes, a matched category is a presumed priority' : 'none'}`,
    );
    out.push(
      `- Pre-approval: ${v.requiresPreapproval ? 'required for any enforcement action outside the presumed priorities' : 'not required'}`,
    );
    out.push(
      `- Determinations read: ${v.determinationForms.map((f) => `\`${f}\``).join(', ')}`,
      '',
    );
    out.push('| parameter | value |', '|---|---|');
    for (const [key, label] of Object.entries(PARAMETER_LABELS)) {
      const value = v.parameters[key as keyof PolicyParameters];
      out.push(`| ${label} | ${value === null ? 'n/a' : String(value)} |`);
    }
    out.push('', 'Categories, in order (the first matched is the primary):', '');
    for (const rule of v.categoryRules) out.push(`1. \`${rule.category}\`: ${rule.description}`);
    out.push('', '| criterion | category | description | source |', '|---|---|---|---|');
    for (const c of v.criteria) {
      out.push(`| \`${c.code}\` | ${c.category} | ${cell(c.description)} | ${cell(c.source)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function main(): number {
  const file = path.resolve(process.cwd(), 'docs/policy.md');
  const current = renderPolicyDocs();
  if (process.argv[2] === 'check') {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== current) {
      console.error('docs/policy.md is out of date: run npm run policy:docs and commit it.');
      return 1;
    }
    console.log('docs/policy.md matches the engine.');
    return 0;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, current);
  console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
  return 0;
}

if (require.main === module) process.exit(main());
