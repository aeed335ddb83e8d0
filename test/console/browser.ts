/// <reference lib="dom" />
// page.evaluate() callbacks run in the page: they use the DOM.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page, Request, Response } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Installs Debian's chromium when it is missing and we may (scripts/ensure-chromium.mjs), and
 * builds the console when its sources changed (scripts/build-console.mjs). Returns whether the
 * browser is there; the caller skips with one printed line when it is not.
 */
export function prepareBrowserTests(): boolean {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-chromium.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(CHROMIUM)) {
    process.stdout.write(`[console tests] skipped: ${CHROMIUM} is absent (apt-get install chromium)\n`);
    return false;
  }
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-console.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

/** One headless Chromium per test file; Playwright gives each launch a fresh temporary profile. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Everything a page showed, said or received: where a secret must never turn up. */
export class Witness {
  readonly bodies: Array<{ url: string; text: string }> = [];
  readonly urls: string[] = [];
  readonly consoleLines: string[] = [];
  readonly pageErrors: string[] = [];
  private pending: Array<Promise<void>> = [];

  watch(context: BrowserContext): void {
    context.on('request', (req: Request) => { this.urls.push(req.url()); });
    context.on('response', (res: Response) => {
      this.pending.push(res.text().then((text) => { this.bodies.push({ url: res.url(), text }); }, () => {}));
    });
    context.on('page', (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
  }

  private watchPage(page: Page): void {
    page.on('console', (m: ConsoleMessage) => { this.consoleLines.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { this.pageErrors.push(String(e)); });
  }

  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  /** Where `value` appeared: response bodies, request URLs, console lines. */
  async sightings(value: string): Promise<string[]> {
    await this.settle();
    return [
      ...this.bodies.filter((b) => b.text.includes(value)).map((b) => `response body of ${b.url}`),
      ...this.urls.filter((u) => u.includes(value) || u.includes(encodeURIComponent(value))).map((u) => `request URL ${u}`),
      ...this.consoleLines.filter((l) => l.includes(value)).map((l) => `console: ${l}`),
      ...this.pageErrors.filter((l) => l.includes(value)).map((l) => `page error: ${l}`),
    ];
  }
}

export const screenshotDir = path.join(repoRoot, 'test-output', 'console');

/** A screenshot under test-output/console: the whole page, or what fits the window (long record lists). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * Controls without an accessible name: inputs, selects and textareas need a label (or aria-label),
 * buttons and links need text (or aria-label).
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const named = (el: Element) => {
      const label = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (label) return true;
      const id = el.getAttribute('id');
      if (id && document.querySelector(`label[for="${CSS.escape(id)}"]`)) return true;
      if (el.closest('label')) return true;
      return false;
    };
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      if ((el as HTMLInputElement).type === 'hidden') continue;
      if (!named(el)) out.push(el.outerHTML.slice(0, 120));
    }
    for (const el of Array.from(document.querySelectorAll('button, a[href]'))) {
      if (!(el.textContent ?? '').trim() && !el.getAttribute('aria-label')) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}
