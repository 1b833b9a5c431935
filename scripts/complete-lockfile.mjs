#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional bindings that the registry
// reachable here may not serve (oxc-parser and oxlint publish one native binding per platform;
// only the Linux ones can be fetched from this workplace). `npm ci` requires every optional dependency to
// be in the lock, and skips those whose os/cpu do not match without fetching them.
// Run after any `npm install` that rewrites the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
let added = 0;

/** os, cpu and libc from a binding's name: binding-linux-arm-gnueabihf, binding-win32-x64-msvc, ... */
function platformOf(name) {
  const [os, cpu, abi] = name.replace(/^.*binding-/, '').split('-');
  return {
    cpu: [cpu],
    ...(os === 'linux' && abi ? { libc: [abi.startsWith('musl') ? 'musl' : 'glibc'] } : {}),
    os: [os],
  };
}

/** Packages that ship their native code as one optional `<scope>/binding-<platform>` package each. */
const PACKAGES_WITH_BINDINGS = ['oxc-parser', 'oxlint'];

const hasBindings = (key) => PACKAGES_WITH_BINDINGS.some((name) => key.endsWith(`node_modules/${name}`));

for (const [key, entry] of Object.entries(lock.packages)) {
  if (!entry.optionalDependencies || !hasBindings(key)) continue;
  for (const [name, version] of Object.entries(entry.optionalDependencies)) {
    if (!name.includes('/binding-') || name.includes('wasm')) continue;
    const location = `node_modules/${name}`;
    if (lock.packages[location]) continue;
    // Only what the name and the parent's optionalDependencies say: nothing is invented.
    // In npm's own key order, so a later `npm install` leaves the lock as it is.
    const { cpu, libc, os } = platformOf(name);
    // A binding of a development tool is itself only for development, as npm would mark it.
    const dev = entry.dev ? { dev: true } : {};
    lock.packages[location] = { version, cpu, ...dev, ...(libc ? { libc } : {}), optional: true, os };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added === 0 ? 'package-lock.json already lists every binding' : `package-lock.json: added ${added} platform bindings`,
);
