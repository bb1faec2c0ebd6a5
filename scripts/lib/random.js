// @ts-check
// A seeded pseudo-random sequence, for generated data and property tests that must be the same
// from run to run for a given seed (scripts/lib/archive.js, tests/response-cache/exactness.test.ts).
'use strict';

/**
 * mulberry32: a small, fast PRNG with a 32-bit seed (enough for test data; not for secrets).
 * @param {number} seed
 */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @param {number} min @param {number} max */
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  /** @template T @param {readonly T[]} list @returns {T} */
  const pick = (list) => /** @type {T} */ (list[Math.floor(next() * list.length)]);
  return { next, int, pick };
}

module.exports = { random };
