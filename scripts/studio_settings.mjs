// The user settings of `npm run studio` (scripts/studio.mjs), apart so that a test can check them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The studio's user settings: written once with its defaults; later only a default the user has not set
 * is added. `files.autoSave` is off: code-server's web workbench saves every change about a second after
 * it is made ('afterDelay'), so File: Revert File would find nothing to revert and the dirty marker of a
 * canvas edit would flash by; a desktop VS Code has it off by default too.
 */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
};
/** Settings a studio made before the default existed get it, unless the user set it themselves. */
const ADDED_LATER = ['files.autoSave'];

/** Writes `file` (the studio's User/settings.json) with the defaults, or adds the defaults added since. */
export function writeDefaultSettings(file) {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(DEFAULT_SETTINGS, null, 2)}\n`);
    return;
  }
  let text = readFileSync(file, 'utf8');
  const missing = ADDED_LATER.filter((key) => !text.includes(JSON.stringify(key)));
  if (missing.length === 0) return;
  // The file is JSON with comments (VS Code's settings): add each line after the opening brace, leaving
  // the user's own lines as they are (a trailing comma is allowed there).
  const open = text.indexOf('{');
  if (open < 0) return;
  const lines = missing.map((key) => `\n  ${JSON.stringify(key)}: ${JSON.stringify(DEFAULT_SETTINGS[key])},`).join('');
  text = text.slice(0, open + 1) + lines + text.slice(open + 1);
  writeFileSync(file, text);
}
