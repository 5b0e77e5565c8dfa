import { readPackageJson } from './paths.ts';

/** The package version, read from package.json (one place). */
export const VERSION: string = readPackageJson<{ version: string }>('package.json').version;
