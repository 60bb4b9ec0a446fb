import { POLICY_VERSIONS } from '../../src/modules/assessments/policy/engine';
import { PriorityCategory } from '../../src/modules/assessments/policy/types';
import {
  validatePolicyVersion,
  validatePolicyVersions,
} from '../../src/modules/assessments/policy/validate';

const ICE = POLICY_VERSIONS.find((v) => v.code === 'ICE-2021-02-18')!;

describe('validatePolicyVersions', () => {
  test('the versions the engine holds pass', () => {
    expect(() => validatePolicyVersions()).not.toThrow();
  });

  test('a category rule asking about a criterion the version lacks fails, even behind an AND', () => {
    const version = {
      ...ICE,
      categoryRules: [
        ...ICE.categoryRules,
        {
          category: PriorityCategory.PUBLIC_SAFETY as const,
          description: 'A typo behind another criterion.',
          matches: (met: (code: string) => boolean) =>
            met(`${ICE.code}/PS-THREAT`) && met(`${ICE.code}/PS-AGG-FELONYY`),
        },
      ],
    };
    expect(() => validatePolicyVersion(version)).toThrow(
      /PUBLIC_SAFETY rule: unknown criterion ICE-2021-02-18\/PS-AGG-FELONYY/,
    );
  });

  test('a category needing a form the version does not read fails', () => {
    const version = {
      ...ICE,
      categoryForms: { [PriorityCategory.PUBLIC_SAFETY]: 'totality' as const },
    };
    expect(() => validatePolicyVersion(version)).toThrow(/needs the totality form/);
  });
});
