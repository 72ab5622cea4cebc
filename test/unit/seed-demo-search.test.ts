// The demo has cases for the searches the README and the workspace issue tell a newcomer to try: a prefix of
// an accented word ("semaf" → semáforo), a number inside a road code ("116" → BR-116) and inside a plate
// ("1234" → ABC-1234). Without them those searches find nothing in the demo and look broken.
import { describe, expect, it } from 'vitest';
import { buildDemoCases } from '../../db/seed-demo.ts';

describe('demo seed: cases to search for', () => {
  it.each([
    ['semáforo', /semáforo/i],
    ['BR-116', /\bBR-116\b/],
    ['ABC-1234', /\bABC-1234\b/],
  ])('some demo case mentions %s', (_word, pattern) => {
    for (const at of ['2026-11-30T12:00:00Z', '2027-01-03T12:00:00Z']) {
      const texts = buildDemoCases(new Date(at)).map(
        ({ demo }) => `${demo.input.subject} ${demo.input.description}`,
      );
      expect(texts.some((t) => pattern.test(t))).toBe(true);
    }
  });
});
