/**
 * Type-aware mode for a run: `project` forces one tsconfig's program for every file;
 * `projectService` gives each file its nearest tsconfig's program. Programs are built when their
 * first file is linted (`--stats`: type program).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { TypeInformation, TypeInformationRequest } from '../language.js';
import type { JsLintOptions } from './lint-text.js';
import { describeTypeScript, TsconfigError, TypeScriptProjects, type ChosenTypeScript } from './parser/index.js';

export function typeInformation(request: TypeInformationRequest): TypeInformation<JsLintOptions> | undefined {
  if (!request.project && !request.projectService) return undefined;
  const { onChecker } = request;
  const onProgramBuilt = onChecker
    ? (tsconfigPath: string, typescript: ChosenTypeScript) =>
        onChecker(tsconfigPath, {
          version: typescript.version,
          description: describeTypeScript(typescript),
          fallbackReason: typescript.fallbackReason,
        })
    : undefined;
  return typedRun(projectsFor(request, onProgramBuilt));
}

function projectsFor(
  request: TypeInformationRequest,
  onProgramBuilt: ((tsconfigPath: string, typescript: ChosenTypeScript) => void) | undefined,
): TypeScriptProjects {
  if (!request.project) return new TypeScriptProjects({ onProgramBuilt });
  const tsconfig = request.project === true ? 'tsconfig.json' : request.project;
  const file = path.resolve(request.cwd, tsconfig);
  if (!existsSync(file)) throw new UsageError(`--project: no tsconfig at ${tsconfig}`);
  try {
    return new TypeScriptProjects({ tsconfig: file, onProgramBuilt });
  } catch (error) {
    if (error instanceof TsconfigError)
      throw new UsageError(`--project ${tsconfig}: ${error.diagnostic} (${error.compiler})`);
    throw error;
  }
}

function typedRun(projects: TypeScriptProjects): TypeInformation<JsLintOptions> {
  return {
    options: { frontEnd: 'typed', typed: { projects } },
    assign: (files) => projects.plan(files),
    filesWithoutTypes: () => projects.filesWithoutTypes,
  };
}
