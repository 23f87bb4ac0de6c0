import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ROOT,
  copyTarget,
  effectiveSteps,
  readDockerfile,
  stageNamed,
  workspaceDirs,
  type DockerStage,
  type DockerStep,
} from './support/dockerfile';

const stages = readDockerfile();
const runtime = stages.at(-1)!;
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { command?: string[] }>;
};

/** The package.json files copied from the build context before the step at `index`. */
function manifestsCopiedBefore(steps: DockerStep[], index: number): Set<string> {
  const copied = new Set<string>();
  for (const step of steps.slice(0, index)) {
    if (step.kind !== 'copy' || step.from !== null) continue;
    for (const source of step.sources) copied.add(copyTarget(step.destination, source));
  }
  return copied;
}

/** Every `npm ci` of a stage, with the manifests present when it runs. */
function npmCis(stage: DockerStage): { command: string; manifests: Set<string> }[] {
  const steps = effectiveSteps(stages, stage);
  return steps.flatMap((step, i) =>
    step.kind === 'run' && /\bnpm ci\b/.test(step.command)
      ? [{ command: step.command, manifests: manifestsCopiedBefore(steps, i) }]
      : [],
  );
}

describe('Dockerfile', () => {
  it('finds the workspaces from the root package.json globs', () => {
    const dirs = workspaceDirs();
    expect(dirs).toEqual(
      expect.arrayContaining(['apps/gateway', 'apps/worker', 'libs/codec', 'libs/contracts']),
    );
    expect(dirs.every((d) => fs.existsSync(path.join(ROOT, d, 'package.json')))).toBe(true);
  });

  it('copies the lockfile and every workspace package.json before each npm ci', () => {
    const wanted = ['package.json', 'package-lock.json', ...workspaceDirs().map((d) => `${d}/package.json`)];
    const installs = stages.flatMap(npmCis);
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const install of installs) {
      expect({ command: install.command, missing: wanted.filter((f) => !install.manifests.has(f)) }).toEqual({
        command: install.command,
        missing: [],
      });
    }
  });

  it('compiles in a build stage and ships only production dependencies in the runtime stage', () => {
    const build = stageNamed(stages, 'build');
    expect(build.steps.some((s) => s.kind === 'run' && /\bnpm run build\b/.test(s.command))).toBe(true);
    const runtimeInstalls = npmCis(runtime).map((i) => i.command);
    expect(runtimeInstalls).toHaveLength(1);
    expect(runtimeInstalls[0]).toMatch(/--omit=dev\b/);
    // The runtime stage takes compiled output from the build stage, never the sources.
    const copies = runtime.steps.filter((s) => s.kind === 'copy');
    expect(copies.map((c) => (c.kind === 'copy' ? c.from : null))).toEqual(['build']);
    expect(JSON.stringify(runtime.steps)).not.toMatch(/register|swc|--include=dev/);
  });

  it('runs as the unprivileged node user with compiled libs resolved and a writable outbox', () => {
    const steps = effectiveSteps(stages, runtime);
    const users = steps.flatMap((s) => (s.kind === 'user' ? [s.user] : []));
    expect(users.at(-1)).toBe('node');
    const env = Object.assign({}, ...steps.flatMap((s) => (s.kind === 'env' ? [s.values] : []))) as Record<
      string,
      string
    >;
    expect(env.NODE_OPTIONS).toBe('--conditions=kairos-compiled');
    expect(env.KAIROS_OUTBOX_DIR).toBe('/app/.kairos/outbox');
    const chown = steps.find((s) => s.kind === 'run' && /chown -R node:node \.kairos/.test(s.command));
    expect(chown).toBeDefined();
  });

  it('starts the gateway by default and the compose services run compiled JavaScript with plain node', () => {
    const cmd = runtime.steps.flatMap((s) => (s.kind === 'cmd' ? [s.argv] : [])).at(-1);
    expect(cmd).toEqual(compose.services.gateway?.command);
    for (const service of ['gateway', 'worker']) {
      const command = compose.services[service]?.command ?? [];
      expect(command[0]).toBe('node');
      expect(command[1]).toMatch(/^apps\/\w+\/dist\/.+\/main\.js$/);
    }
  });

  it('keeps dependencies, compiled output and secrets out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.kairos', '**/.env']),
    );
  });
});
