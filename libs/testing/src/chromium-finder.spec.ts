import { findChromium, SYSTEM_CHROMIUM_PATHS, type ChromiumFinderDeps } from './chromium-finder';

const NPM = { executablePath: '/tmp/chromium', args: ["--headless='shell'", '--single-process'] };

function deps(executables: string[], platform: NodeJS.Platform = 'linux'): ChromiumFinderDeps {
  return {
    isExecutable: (file) => executables.includes(file),
    platform,
    fromNpm: () => Promise.resolve(NPM),
  };
}

describe('findChromium', () => {
  it('takes KAIROS_CHROMIUM_PATH first, even when a system Chromium exists', async () => {
    const found = await findChromium(
      { KAIROS_CHROMIUM_PATH: '/opt/chrome/chrome' },
      deps(['/opt/chrome/chrome', '/usr/bin/chromium']),
    );
    expect(found).toMatchObject({ executablePath: '/opt/chrome/chrome', source: 'env' });
    expect(found.args).toContain('--no-sandbox');
  });

  it('names a KAIROS_CHROMIUM_PATH that is not executable instead of falling back', async () => {
    await expect(
      findChromium({ KAIROS_CHROMIUM_PATH: '/nope/chrome' }, deps(['/usr/bin/chromium'])),
    ).rejects.toThrow('KAIROS_CHROMIUM_PATH=/nope/chrome is not an executable file');
  });

  it('uses a system Chromium when one is installed', async () => {
    const found = await findChromium({}, deps(['/usr/bin/google-chrome']));
    expect(found).toMatchObject({ executablePath: '/usr/bin/google-chrome', source: 'system' });
    expect(found.args).not.toContain('--single-process');
  });

  it('prefers the first system path in order', async () => {
    const found = await findChromium({}, deps([...SYSTEM_CHROMIUM_PATHS].reverse()));
    expect(found.executablePath).toBe(SYSTEM_CHROMIUM_PATHS[0]);
  });

  it('falls back to the npm build, with its own flags, on Linux', async () => {
    expect(await findChromium({}, deps([]))).toEqual({ ...NPM, source: 'npm' });
  });

  it('says to set KAIROS_CHROMIUM_PATH where the npm build cannot run', async () => {
    await expect(findChromium({}, deps([], 'darwin'))).rejects.toThrow(/set KAIROS_CHROMIUM_PATH/);
  });
});
