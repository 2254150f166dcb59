/**
 * Finds a Chromium for the report's browser test, with no system package needed on Linux x64:
 *
 * 1. `CHROME_PATH`, when set (it must then exist: a wrong path is an error, not a fallback);
 * 2. the Chromium that the `@sparticuz/chromium` devDependency ships inside its npm package
 *    (Linux x64: a brotli-compressed headless shell with its NSS/expat libraries, fonts and
 *    SwiftShader), inflated once into node_modules/.cache/ — no download, no install script;
 * 3. a Chrome or Chromium already installed at the usual places on Linux and macOS.
 *
 * Returns undefined with the reason when none can be had (the test then skips, or fails under CI).
 */
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

export interface FoundChromium {
  readonly executablePath: string;
  /** Where it came from, for the test's log line. */
  readonly source: string;
  /** Extra arguments this build needs. */
  readonly args: readonly string[];
  /** Extra environment for the browser process (the packaged build's libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
}

export type ChromiumLookup = { readonly found: FoundChromium } | { readonly missing: string };

const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE = '@sparticuz/chromium';

/** Installed browsers looked for when neither CHROME_PATH nor the packaged build applies. */
export const USUAL_LOCATIONS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLookup> {
  const fromEnv = env['CHROME_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) return { missing: `CHROME_PATH=${fromEnv} does not exist` };
    return { found: { executablePath: fromEnv, source: `CHROME_PATH (${fromEnv})`, args: [], env: {} } };
  }
  let packagedProblem: string;
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      return { found: await packagedChromium() };
    } catch (error) {
      packagedProblem = `${PACKAGE} could not be inflated: ${(error as Error).message}`;
    }
  } else {
    packagedProblem = `${PACKAGE} ships a Linux x64 build only (this is ${process.platform}/${process.arch})`;
  }
  for (const path of USUAL_LOCATIONS) {
    if (existsSync(path)) return { found: { executablePath: path, source: path, args: [], env: {} } };
  }
  return {
    missing: `no Chromium: ${packagedProblem}, CHROME_PATH is unset and none is installed at ${USUAL_LOCATIONS.join(', ')}`,
  };
}

/**
 * The packaged build, inflated into node_modules/.cache/fsa-chromium/<version>/ (≈ 200 MB, once):
 * not /tmp/chromium, which the package's own executablePath() would share with anything else on
 * the machine whatever its version.
 */
async function packagedChromium(): Promise<FoundChromium> {
  // its "exports" hide package.json: resolve the entry point (build/index.js) and go up from it
  const entry = createRequire(join(ROOT, 'package.json')).resolve(PACKAGE);
  const manifest = join(dirname(entry), '..', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const bin = join(dirname(manifest), 'bin');
  const dir = join(ROOT, 'node_modules', '.cache', 'fsa-chromium', version);
  const executablePath = join(dir, 'chromium');
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await inflateTo(join(bin, 'chromium.br'), executablePath, 0o755);
    // al2023: lib/ (NSS, NSPR, expat); fonts: fonts.conf + fonts/; swiftshader: the GL libraries
    // beside the binary, where it looks for them
    const archives: ReadonlyArray<readonly [string, string]> = [
      ['al2023', dir],
      ['fonts', join(dir, 'fonts')],
      ['swiftshader', dir],
    ];
    for (const [archive, into] of archives) {
      const tar = join(dir, `${archive}.tar`);
      await inflateTo(join(bin, `${archive}.tar.br`), tar, 0o644);
      await untar(tar, into);
      await rm(tar);
    }
    // the packaged fonts.conf points at /tmp/fonts; this one at the fonts inflated here (Open
    // Sans) and at the system's, if any
    await writeFile(
      join(dir, 'fonts', 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${join(dir, 'fonts', 'fonts')}</dir>`,
        '  <dir>/usr/share/fonts</dir>',
        `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    await writeFile(done, `${version}\n`);
  }
  return {
    executablePath,
    source: `${PACKAGE} ${version} (${dir})`,
    // the packaged headless shell has no setuid sandbox helper to fork a zygote with
    args: ['--no-zygote'],
    env: {
      // the NSS, NSPR and expat libraries it links against, so the machine needs none of its own
      LD_LIBRARY_PATH: [join(dir, 'lib'), dir, process.env['LD_LIBRARY_PATH'] ?? '']
        .filter(Boolean)
        .join(':'),
      FONTCONFIG_PATH: join(dir, 'fonts'),
    },
  };
}

async function inflateTo(source: string, target: string, mode: number): Promise<void> {
  const partial = `${target}.partial`;
  await pipeline(createReadStream(source), createBrotliDecompress(), createWriteStream(partial, { mode }));
  await rename(partial, target);
}

/**
 * A minimal ustar reader for the package's three archives (regular files and folders only), so
 * that neither the system's `tar` nor a transitive dependency is needed.
 */
async function untar(tarPath: string, into: string): Promise<void> {
  const data = readFileSync(tarPath);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string =>
      header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    name = name.replace(/^\.\//, '');
    if (name === '' || name.split('/').includes('..')) continue;
    const target = join(into, name);
    if (type === '5') {
      await mkdir(target, { recursive: true });
    } else if (type === '0') {
      await mkdir(dirname(target), { recursive: true });
      const mode = Number.parseInt(field(100, 8).trim() || '644', 8) & 0o777;
      await writeFile(target, body, { mode });
    }
  }
}
