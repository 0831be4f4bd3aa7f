// The accessibility gate: axe-core's default rule set (WCAG A/AA and best practices) over the whole
// page as it stands; any violation fails the spec, listed by rule, impact and the elements it found.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectAccessible(page: Page, view: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe-core violations on the ${view} view`).toEqual([]);
}
