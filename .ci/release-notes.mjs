// Puts a hand-written release section into CHANGELOG.md in place of the one `changeset version`
// generated (a list of changeset texts under "Minor Changes" / "Patch Changes").
//
//   .ci/node_modules/.bin/changeset version        # package.json to X.Y.Z, the changesets consumed
//   node .ci/release-notes.mjs path/to/section.md  # the section: its first line is "## X.Y.Z"
//
// `changeset version` inserts its section right after the file's first line, above the file's
// introduction. So the file is rebuilt from the committed CHANGELOG.md (`git show HEAD:CHANGELOG.md`,
// or `--base FILE`): its introduction, then the new section, then every earlier release, unchanged.
// The script first checks that the working file is that committed file plus one inserted block (so
// nothing else was edited by hand; whitespace aside, as changesets runs prettier over the file),
// that the section's heading is package.json's version, that the committed file has no section for
// it yet, and that the section holds no `<!-- pending` marker.
// Running it twice gives the same file.
//
// It then moves what names the released version to it, which `changeset version` leaves behind:
// package-lock.json's own version, and each example's dependency on this package (examples/*/
// package.json, `"twilio-access-token": "^X.Y.Z"`) with the `twilio-access-token@^X.Y.Z` its README
// mentions: a caret range of 0.x admits no later minor, so a copied example would install the
// previous release. (The examples' lockfiles leave this package out: nothing to update there.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const changelogPath = `${root}CHANGELOG.md`;

/** Exits 1 with one line on stderr. */
function refuse(message) {
  process.stderr.write(`release-notes: ${message}\n`);
  process.exit(1);
}

/** `[sectionPath, basePath | undefined]` from argv, or a usage error. */
function parseArgs(argv) {
  const args = [...argv];
  let base;
  const at = args.indexOf('--base');
  if (at !== -1) {
    base = args[at + 1];
    if (base === undefined) refuse('--base needs a file: the CHANGELOG.md from before `changeset version`');
    args.splice(at, 2);
  }
  if (args.length !== 1 || args[0].startsWith('-'))
    refuse('usage: node .ci/release-notes.mjs SECTION.md [--base OLD_CHANGELOG.md]');
  return [args[0], base];
}

/** The CHANGELOG.md as committed, before `changeset version` touched it. */
function readBase(base) {
  if (base !== undefined) return readFileSync(base, 'utf8');
  try {
    return execFileSync('git', ['show', 'HEAD:CHANGELOG.md'], { cwd: root, encoding: 'utf8' });
  } catch {
    return refuse('could not read HEAD:CHANGELOG.md with git: pass the previous file with --base');
  }
}

/** Index of the first line starting with "## " (a release heading), or -1. */
function firstRelease(text) {
  const match = /^## /m.exec(text);
  return match === null ? -1 : match.index;
}

/**
 * Checks that `current` is `base` with one block inserted (what `changeset version` does), comparing
 * with every run of whitespace as one space: changesets formats the whole file with prettier, which
 * re-indents lines of earlier sections (and broke a list item of 0.1.0's).
 */
function assertOneInsertion(baseText, currentText) {
  const base = baseText.replace(/\s+/g, ' ');
  const current = currentText.replace(/\s+/g, ' ');
  let start = 0;
  while (start < base.length && base[start] === current[start]) start++;
  let end = 0;
  while (
    end < base.length - start &&
    end < current.length - start &&
    base[base.length - 1 - end] === current[current.length - 1 - end]
  )
    end++;
  if (start + end !== base.length)
    refuse('CHANGELOG.md differs from the committed one by more than the section `changeset version` adds');
}

const [sectionPath, basePath] = parseArgs(process.argv.slice(2));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const section = `${readFileSync(sectionPath, 'utf8').trim()}\n`;
const heading = `## ${version}`;

if (section.split('\n', 1)[0].trim() !== heading)
  refuse(`${sectionPath} must start with "${heading}" (package.json's version); run \`changeset version\` first`);
if (section.slice(heading.length).match(/^## /m) !== null)
  refuse(`${sectionPath} holds more than one release section (a second "## " heading)`);
if (/<!--\s*pending/.test(section))
  refuse(`${sectionPath} still has a "<!-- pending" marker: confirm that entry, then remove the marker`);

const base = readBase(basePath);
const current = readFileSync(changelogPath, 'utf8');
const hasHeading = (text) => text.split('\n').some((line) => line.trimEnd() === heading);
if (hasHeading(base)) refuse(`the committed CHANGELOG.md already has "${heading}": nothing to replace`);
assertOneInsertion(base, current);
// The committed file has no such heading, so the only place it can be is the inserted block.
if (!hasHeading(current))
  refuse(`the section CHANGELOG.md gained is not "${heading}": run \`changeset version\` first`);

const split = firstRelease(base);
if (split === -1) refuse('the committed CHANGELOG.md has no earlier release ("## " heading) to keep');
const intro = base.slice(0, split).trimEnd();
writeFileSync(changelogPath, `${intro}\n\n${section}\n${base.slice(split)}`);
process.stdout.write(`CHANGELOG.md: "${heading}" is now ${sectionPath} (${section.split('\n').length - 1} lines)\n`);

/** Rewrites `path` (relative to the root) with `change`, saying so when it changed anything. */
function update(path, change) {
  if (!existsSync(`${root}${path}`)) return;
  const before = readFileSync(`${root}${path}`, 'utf8');
  const after = change(before);
  if (after === before) return;
  writeFileSync(`${root}${path}`, after);
  process.stdout.write(`${path}: ${version}\n`);
}

update('package-lock.json', (text) => {
  const lock = JSON.parse(text);
  lock.version = version;
  if (lock.packages?.[''] !== undefined) lock.packages[''].version = version;
  return `${JSON.stringify(lock, null, 2)}\n`;
});
const examples = existsSync(`${root}examples`) ? readdirSync(`${root}examples`, { withFileTypes: true }) : [];
for (const entry of examples.filter((e) => e.isDirectory())) {
  const dir = `examples/${entry.name}`;
  update(`${dir}/package.json`, (text) =>
    text.replace(/("twilio-access-token":\s*")\^\d+\.\d+\.\d+(")/, `$1^${version}$2`),
  );
  update(`${dir}/README.md`, (text) =>
    text.replace(/twilio-access-token@\^\d+\.\d+\.\d+/g, `twilio-access-token@^${version}`),
  );
}
