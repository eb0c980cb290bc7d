// Finds the project files an entry point's command runs (`python train.py`, `bash run.sh`, `./run.sh`),
// so that a missing script is caught before `mlflow run` and an existing one can be opened from the
// command. MLflow runs the command in the project folder (locally, and as the Docker image's WORKDIR), so
// a relative script path names a project file. Only what is certain is reported: a path built from a
// `{placeholder}` or a shell variable, a quoted or escaped word the shell may read differently, and
// anything after a `cd` (the folder is no longer the project's) are left alone.

export interface ScriptReference {
  /** The path as the shell reads it (quotes removed), relative to the project folder. */
  path: string;
  /** Offsets of the path in the command text (inside the quotes when the whole word is quoted). */
  start: number;
  end: number;
}

interface Word {
  text: string;
  start: number;
  end: number;
  /** Holds something whose value is not known before the run: `$`, a `{field}`, a glob, an escape. */
  dynamic: boolean;
  /** A redirection target (`> out.log`), not an argument. */
  redirect: boolean;
  /** The word is one quoted string: its text starts one character after `start` and ends one before `end`. */
  wholeQuoted: boolean;
}

/** Programs that take a script file as their first non-option argument. */
const INTERPRETER = /^(?:python(?:[23](?:\.\d+)?)?|pythonw|Rscript|bash|sh|zsh|dash|ksh)$/;
const SCRIPT_FILE = /\.(?:py|sh|bash|R|r)$/;
/** Options after which the next word is code or a module, not a script (`python -um pkg.train`, `bash -c`). */
const NOT_A_SCRIPT_OPTION = /^-(?:-command|-version|-help|h|V)$|^-[a-zA-Z]*[cme]$/;
/** Options whose value is the next word (`python -W ignore train.py`). */
const OPTION_WITH_VALUE = /^-(?:W|X|Q|o|O)$/;
/** Words that run the rest of the line as a command. */
const PREFIX_COMMAND = /^(?:exec|nohup|time|command|env)$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const CHANGES_FOLDER = /^(?:cd|pushd|popd)$/;

/** The scripts a shell command runs, in order; stops at the first `cd`. */
export function scriptsInCommand(command: string): ScriptReference[] {
  const segments = splitSegments(command);
  if (!segments) return [];
  const scripts: ScriptReference[] = [];
  for (const words of segments) {
    let i = 0;
    while (i < words.length && (ASSIGNMENT.test(words[i].text) || PREFIX_COMMAND.test(words[i].text))) i++;
    const program = words[i];
    if (!program) continue;
    if (CHANGES_FOLDER.test(program.text)) break;
    if (program.dynamic || program.redirect) continue;
    if (isRelativePath(program.text) && program.text.includes('/')) {
      scripts.push(reference(program));
      continue;
    }
    if (!INTERPRETER.test(program.text.slice(program.text.lastIndexOf('/') + 1))) continue;
    for (let j = i + 1; j < words.length; j++) {
      const word = words[j];
      if (word.redirect) continue;
      if (word.text.startsWith('-') && !word.dynamic) {
        if (NOT_A_SCRIPT_OPTION.test(word.text)) break;
        if (OPTION_WITH_VALUE.test(word.text)) j++;
        continue;
      }
      if (!word.dynamic && SCRIPT_FILE.test(word.text) && isRelativePath(word.text)) {
        scripts.push(reference(word));
      }
      break;
    }
  }
  return scripts;
}

function reference(word: Word): ScriptReference {
  const inset = word.wholeQuoted ? 1 : 0;
  return { path: word.text, start: word.start + inset, end: word.end - inset };
}

function isRelativePath(text: string): boolean {
  return text !== '' && !/^[/~\\]/.test(text) && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text);
}

/**
 * Splits a command into simple commands (at `;`, `&`, `|`, `&&`, `||`, parentheses and line ends) made
 * of words. Undefined when the quoting does not close: the shell would read something else than we do.
 */
function splitSegments(command: string): Word[][] | undefined {
  const segments: Word[][] = [];
  let words: Word[] = [];
  let word: Word | undefined;
  let redirectNext = false;
  const endWord = () => {
    if (!word) return;
    word.redirect = redirectNext;
    redirectNext = false;
    words.push(word);
    word = undefined;
  };
  const endSegment = () => {
    endWord();
    if (words.length) segments.push(words);
    words = [];
  };
  const n = command.length;
  let i = 0;
  while (i < n) {
    const c = command[i];
    if (c === '\\' && command[i + 1] === '\n') {
      endWord();
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endSegment();
      i++;
      continue;
    }
    if (c === '<' || c === '>') {
      endWord();
      redirectNext = true;
      while (command[i] === '<' || command[i] === '>' || command[i] === '&') i++;
      continue;
    }
    if (c === '#' && !word) {
      while (i < n && command[i] !== '\n') i++;
      continue;
    }
    const startsWord = !word;
    word ??= { text: '', start: i, end: i, dynamic: false, redirect: false, wholeQuoted: false };
    if (c === "'" || c === '"') {
      const close = command.indexOf(c, i + 1);
      if (close < 0) return undefined;
      word.wholeQuoted = startsWord;
      const quoted = command.slice(i + 1, close);
      if (c === '"' && /[$`\\]/.test(quoted)) word.dynamic = true;
      if (/[{}]/.test(quoted)) word.dynamic = true;
      word.text += quoted;
      i = close + 1;
      word.end = i;
      continue;
    }
    if (c === '\\' || c === '$' || c === '`' || c === '{' || c === '}' || c === '*' || c === '?' || c === '[') word.dynamic = true;
    word.wholeQuoted = false;
    word.text += c;
    i++;
    word.end = i;
  }
  endSegment();
  return segments;
}
