// The four bundlers, each given only the app's entry (and an output folder) as a user would: no
// plugins beyond Rollup's standard node-resolve, no conditions, no aliases, no externals. Each
// returns the folder to serve and every warning it printed; a warning fails the check.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import { build as viteBuild, createLogger } from 'vite';
import webpack from 'webpack';

/** The HTML page of a bundle that is one ES module, `main.js`, beside it. */
async function writePage(outDir, appDir) {
  const html = await readFile(join(appDir, 'index.html'), 'utf8');
  await writeFile(join(outDir, 'index.html'), html.replace('./src/main.js', './main.js'));
}

/** esbuild's defaults for --bundle: the browser platform, one IIFE. */
async function withEsbuild(appDir, outDir) {
  const result = await esbuild.build({
    absWorkingDir: appDir,
    entryPoints: ['src/main.js'],
    bundle: true,
    outdir: outDir,
    logLevel: 'silent',
  });
  await writePage(outDir, appDir);
  return { outDir, warnings: result.warnings.map((w) => `${w.text} (${w.location?.file ?? ''})`) };
}

/** `vite build` of index.html, with a logger that records what Vite would print as a warning. */
async function withVite(appDir, outDir) {
  const warnings = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  logger.warn = (msg) => warnings.push(msg);
  logger.warnOnce = (msg) => warnings.push(msg);
  logger.error = (msg) => warnings.push(`error: ${msg}`);
  await viteBuild({ root: appDir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir } });
  return { outDir, warnings };
}

/** webpack 5 in production mode (the mode is all `webpack --mode production` sets). */
async function withWebpack(appDir, outDir) {
  const stats = await new Promise((resolve, reject) => {
    webpack({ mode: 'production', context: appDir, entry: './src/main.js', output: { path: outDir, filename: 'main.js' } }, (err, s) =>
      err ? reject(err) : resolve(s),
    );
  });
  const json = stats.toJson({ all: false, warnings: true, errors: true });
  if (stats.hasErrors()) throw new Error(`webpack: ${json.errors.map((e) => e.message).join('\n')}`);
  await writePage(outDir, appDir);
  return { outDir, warnings: json.warnings.map((w) => w.message) };
}

/** Rollup with @rollup/plugin-node-resolve at its defaults, ES modules out. */
async function withRollup(appDir, outDir) {
  const warnings = [];
  const bundle = await rollup({
    input: join(appDir, 'src/main.js'),
    plugins: [nodeResolve()],
    onwarn: (w) => warnings.push(`${w.code}: ${w.message}`),
  });
  await bundle.write({ dir: outDir });
  await bundle.close();
  await writePage(outDir, appDir);
  return { outDir, warnings };
}

export const BUNDLERS = { esbuild: withEsbuild, vite: withVite, webpack: withWebpack, rollup: withRollup };

/**
 * Copies the app (tools/consumer/app: index.html and src/main.js) into the npm project.
 *
 * @param from - tools/consumer/app
 * @param appDir - the npm project
 */
export async function writeApp(from, appDir) {
  await cp(from, appDir, { recursive: true });
}
