// Entry point of the `mlflow-lint` command (bundled to dist/cli.js with a shebang).
import { runLint, USAGE } from './lint-command';

async function main(argv: string[]): Promise<number> {
  const io = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
  const [command, ...rest] = argv;
  if (command === 'lint') return runLint(rest, io);
  if (command === '-h' || command === '--help' || command === 'help') {
    io.out(`${USAGE}\n`);
    return 0;
  }
  io.err(`mlflow-lint: ${command === undefined ? 'missing command' : `unknown command '${command}'`}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mlflow-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
