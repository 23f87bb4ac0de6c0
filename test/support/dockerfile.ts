/**
 * The Dockerfile and the npm workspaces as data, for the tests that check the image
 * (test/dockerfile.spec.ts) and run its build steps without Docker (test/e2e/image-build.e2e.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cmd, Copy, DockerfileParser, Env, From, Run, User, type Instruction } from 'dockerfile-ast';
import { globSync } from 'tinyglobby';

export const ROOT = path.resolve(__dirname, '..', '..');

export type DockerStep =
  | { kind: 'copy'; from: string | null; sources: string[]; destination: string }
  | { kind: 'run'; command: string }
  | { kind: 'env'; values: Record<string, string> }
  | { kind: 'user'; user: string }
  | { kind: 'cmd'; argv: string[] }
  | { kind: 'other'; keyword: string };

export type DockerStage = {
  name: string | null;
  /** Base image, or the earlier stage this one starts from. */
  base: string;
  /** This stage's own steps, in order. */
  steps: DockerStep[];
};

function toStep(instruction: Instruction): DockerStep {
  const args = instruction.getArguments().map((a) => a.getValue());
  if (instruction instanceof Copy) {
    const from = instruction.getFromFlag()?.getValue() ?? null;
    return { kind: 'copy', from, sources: args.slice(0, -1), destination: args.at(-1) ?? '' };
  }
  if (instruction instanceof Run) return { kind: 'run', command: instruction.getArgumentsContent() ?? '' };
  if (instruction instanceof Env) {
    const values = instruction.getProperties().map((p) => [p.getName(), p.getValue() ?? '']);
    return { kind: 'env', values: Object.fromEntries(values) as Record<string, string> };
  }
  if (instruction instanceof User) return { kind: 'user', user: args[0] ?? '' };
  if (instruction instanceof Cmd)
    return { kind: 'cmd', argv: instruction.getJSONStrings().map((s) => s.getJSONValue()) };
  return { kind: 'other', keyword: instruction.getKeyword() };
}

/** The stages of a Dockerfile (default: the repository's), each with its own steps. */
export function readDockerfile(file = path.join(ROOT, 'Dockerfile')): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of DockerfileParser.parse(fs.readFileSync(file, 'utf8')).getInstructions()) {
    if (instruction instanceof From) {
      stages.push({ name: instruction.getBuildStage(), base: instruction.getImage() ?? '', steps: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${file}: ${instruction.getKeyword()} before the first FROM`);
      stage.steps.push(toStep(instruction));
    }
  }
  return stages;
}

/** Every step that builds a stage: those of the stages it starts from, then its own. */
export function effectiveSteps(stages: DockerStage[], stage: DockerStage): DockerStep[] {
  const parent = stages.find((s) => s.name !== null && s.name === stage.base);
  return parent ? [...effectiveSteps(stages, parent), ...stage.steps] : stage.steps;
}

/** Where a COPY puts one of its sources, relative to WORKDIR (`COPY a/package.json a/` keeps the path). */
export function copyTarget(destination: string, source: string): string {
  const target = destination.endsWith('/')
    ? path.posix.join(destination, path.posix.basename(source))
    : destination;
  return path.posix.normalize(target);
}

/** The stage named `name`, or a clear failure. */
export function stageNamed(stages: DockerStage[], name: string): DockerStage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`Dockerfile has no stage named ${name}`);
  return stage;
}

/** Folders of the npm workspaces, as npm finds them: the root's `workspaces` globs that hold a package.json. */
export function workspaceDirs(root = ROOT): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const patterns = (manifest.workspaces ?? []).map((w) => `${w.replace(/\/$/, '')}/package.json`);
  return globSync(patterns, { cwd: root, ignore: ['**/node_modules/**'] })
    .map((file) => path.posix.dirname(file))
    .sort();
}
