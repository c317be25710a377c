// What `#node-files` resolves to outside Node (package.json "imports", default condition): the
// browser build has no file system, so it carries no node: modules. Callers ask isNode() first, so
// only a browser build run inside Node (a bundle made for browsers, then run by Node) gets here.
// TypeScript checks callers against this file (the "types" condition) and each export here against
// node-files.ts, so a function used through `#node-files` must exist in both builds.
import type * as NodeFiles from './node-files';
import { fail } from '../errors';

function unavailable(): never {
  return fail(
    'UNSUPPORTED_TARGET',
    'saving to and loading from a directory needs the Node build of @nnkit/layers, and this is the browser build; ' +
      "bundle for Node (the 'node' export condition) or save in memory, to 'indexeddb://name' or to a { save(artifacts) } handler",
  );
}

export const saveToDirectory: typeof NodeFiles.saveToDirectory = async () => unavailable();
export const loadFromDirectory: typeof NodeFiles.loadFromDirectory = async () => unavailable();
