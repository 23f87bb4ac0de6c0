import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { findChromium } from './chromium-finder';

export type HeadlessBrowser = { browser: Browser; context: BrowserContext; close(): Promise<void> };

/**
 * The npm package's Chromium (findChromium), headless, with one context of this viewport. One
 * context per test file: that Chromium runs single-process and fails on a second context.
 */
export async function launchHeadlessBrowser(viewport: {
  width: number;
  height: number;
}): Promise<HeadlessBrowser> {
  const found = await findChromium();
  const browser = await chromium.launch({
    executablePath: found.executablePath,
    args: found.args,
    headless: true,
  });
  const context = await browser.newContext({ viewport });
  return {
    browser,
    context,
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
