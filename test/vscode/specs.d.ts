// The virtual module the suite bundler generates from test/vscode/**/*.test.ts.
declare module 'vscode-suite:specs' {
  const specs: { file: string; load: () => unknown }[];
  export = specs;
}
