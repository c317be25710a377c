// The sizes of WebAssembly memory, in a module of their own: the allocator reads them while it loads,
// and importing them from backend.ts (which imports the allocator) would read them before they exist.

export const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
export const MAX_PAGES = 65536;
