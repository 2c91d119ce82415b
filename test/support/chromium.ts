// Headless Chromium for the browser tests: Debian's own build (browsers cannot be downloaded here),
// with the flags it needs to run without a sandbox or a GPU and to stay off the network.
import { chromium, type Browser } from 'playwright-core';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
