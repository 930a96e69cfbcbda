import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './testNetwork';

/** Debian's Chromium (installed by scripts/bootstrap.mjs --browser), or KYC_CHROMIUM. */
export function chromiumPath(): string {
  const candidate = process.env.KYC_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) throw new Error(`no Chromium at ${candidate}: run node scripts/bootstrap.mjs --browser (installs Debian's chromium) or set KYC_CHROMIUM`);
  return candidate;
}

/**
 * Headless Chromium for the page tests. The flags keep it off the network it cannot reach here
 * (update checks, sync, QUIC probes) and let it run as root in CI; the fake media stream stands
 * in for a phone camera.
 */
export function launchBrowser(opts: { fakeCameraFile?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      ...(opts.fakeCameraFile ? [`--use-file-for-fake-video-capture=${opts.fakeCameraFile}`] : []),
    ],
  });
}

/** An axe-core finding of impact serious or critical. */
export interface SeriousViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is now and
 * returns the serious and critical violations.
 */
export async function seriousA11yViolations(page: Page): Promise<SeriousViolation[]> {
  const source = (require('axe-core') as { source: string }).source;
  // Evaluated through the DevTools protocol, which the pages' CSP (script-src 'self', no inline
  // scripts) does not apply to; an injected <script> tag would be blocked by it.
  await page.evaluate(source);
  return page.evaluate(async () => {
    // Runs in the page: `axe` is the global the injected script defines.
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: { id: string; impact?: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Where the test run writes the pages' screenshots (committed, shown in the docs). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

/** Saves a full-page screenshot as docs/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
