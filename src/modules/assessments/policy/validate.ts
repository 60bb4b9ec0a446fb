/**
 * Checked at startup, as the approval state table is: each version's category rules ask only
 * about criteria the version has, and each form a category needs is one the version reads. A rule
 * names criteria by code (a string), so a typo would otherwise make a category silently unmet.
 */
import { POLICY_VERSIONS } from './engine';
import type { PolicyVersionDefinition } from './types';

/** More criteria than this in one version: the rules are checked on every combination. */
const MAX_CRITERIA = 16;

/** Every code a rule asks about, over every combination of the version's criteria met or not. */
function codesAsked(
  version: PolicyVersionDefinition,
  rule: { matches: (met: (code: string) => boolean) => boolean },
): Set<string> {
  const codes = version.criteria.map((c) => c.code);
  const asked = new Set<string>();
  for (let bits = 0; bits < 2 ** codes.length; bits++) {
    rule.matches((code) => {
      asked.add(code);
      const i = codes.indexOf(code);
      return i >= 0 && (bits & (1 << i)) !== 0;
    });
  }
  return asked;
}

export function validatePolicyVersion(version: PolicyVersionDefinition): void {
  const codes = version.criteria.map((c) => c.code);
  if (new Set(codes).size !== codes.length)
    throw new Error(`policy version ${version.code}: two criteria share a code`);
  if (codes.length > MAX_CRITERIA)
    throw new Error(`policy version ${version.code}: more than ${MAX_CRITERIA} criteria to check`);
  for (const rule of version.categoryRules) {
    for (const code of codesAsked(version, rule)) {
      if (!codes.includes(code))
        throw new Error(
          `policy version ${version.code}, ${rule.category} rule: unknown criterion ${code}`,
        );
    }
  }
  for (const [category, form] of Object.entries(version.categoryForms)) {
    if (form && !version.determinationForms.includes(form))
      throw new Error(
        `policy version ${version.code}: ${category} needs the ${form} form, which it does not read`,
      );
  }
}

export function validatePolicyVersions(
  versions: readonly PolicyVersionDefinition[] = POLICY_VERSIONS,
): void {
  for (const version of versions) validatePolicyVersion(version);
}
