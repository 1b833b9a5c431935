/** The config for a workspace folder, found as the CLI finds it from its working directory. */
import { rules } from '../languages/index.js';
import {
  configForFile,
  DEFAULT_CONFIG_SOURCE,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  type ResolvedConfig,
} from '../config/index.js';

export interface WorkspaceConfig {
  config: ResolvedConfig;
  configForFile: typeof configForFile;
  /** Why the config file could not be used; the recommended rules apply meanwhile. */
  error?: string;
}

export function loadWorkspaceConfig(root: string): WorkspaceConfig {
  try {
    const found = findConfigFile(root);
    const source = found ? loadConfigFile(found) : DEFAULT_CONFIG_SOURCE;
    return {
      config: resolveConfig(source, rules, { baseDirectory: source.filePath ? undefined : root }),
      configForFile,
    };
  } catch (error) {
    const config = resolveConfig(DEFAULT_CONFIG_SOURCE, rules, { baseDirectory: root });
    return {
      config,
      configForFile,
      error: `${(error as Error).message} (using the recommended rules until it is fixed)`,
    };
  }
}
