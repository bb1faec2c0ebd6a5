// @orama/stemmers publishes each language as a package export with its own types, which this
// project's `moduleResolution: node` cannot follow; Node's require does. Their shape:
declare module '@orama/stemmers/danish' {
  export function stemmer(word: string): string;
}
declare module '@orama/stemmers/english' {
  export function stemmer(word: string): string;
}
