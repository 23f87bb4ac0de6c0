/**
 * A real Chromium for browser tests with nothing installed by hand: KAIROS_CHROMIUM_PATH when
 * set, else a system Chromium or Chrome, else the Linux build shipped inside the
 * `@sparticuz/chromium` npm package (a devDependency, so `npm ci` is enough).
 */
import fs from 'node:fs';
import sparticuz from '@sparticuz/chromium';

export type FoundChromium = {
  executablePath: string;
  /** Launch flags that suit this build; pass them to playwright-core's `launch({ args })`. */
  args: string[];
  source: 'env' | 'system' | 'npm';
};

export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
] as const;

// A desktop build run headless, often as root in a container: no sandbox (it needs user
// namespaces), no GPU, and none of the background traffic that would slow an offline machine.
const SYSTEM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumFinderDeps = {
  isExecutable: (file: string) => boolean;
  platform: NodeJS.Platform;
  /** The npm build: its path (decompressed into the OS temp folder once) and its flags. */
  fromNpm: () => Promise<{ executablePath: string; args: string[] }>;
};

const defaultDeps: ChromiumFinderDeps = {
  isExecutable,
  platform: process.platform,
  fromNpm: async () => ({ executablePath: await sparticuz.executablePath(), args: sparticuz.args }),
};

export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  deps: ChromiumFinderDeps = defaultDeps,
): Promise<FoundChromium> {
  const fromEnv = env.KAIROS_CHROMIUM_PATH;
  if (fromEnv) {
    if (!deps.isExecutable(fromEnv))
      throw new Error(
        `KAIROS_CHROMIUM_PATH=${fromEnv} is not an executable file: fix the path, or unset it to use a system Chromium or the one from @sparticuz/chromium.`,
      );
    return { executablePath: fromEnv, args: SYSTEM_ARGS, source: 'env' };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => deps.isExecutable(p));
  if (system) return { executablePath: system, args: SYSTEM_ARGS, source: 'system' };
  // The npm package ships Linux builds only.
  if (deps.platform !== 'linux')
    throw new Error(
      `No Chromium found (tried ${SYSTEM_CHROMIUM_PATHS.join(', ')}) and @sparticuz/chromium runs on Linux only: set KAIROS_CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  return { ...(await deps.fromNpm()), source: 'npm' };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
