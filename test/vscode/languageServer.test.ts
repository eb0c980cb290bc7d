// The MLproject/MLmodel language server inside a real VS Code: started by the extension's language
// client, it reports diagnostics for the demo's broken project and answers completion, hover, link,
// highlight and code lens requests through VS Code's own providers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openWorkspaceFile, waitFor } from './helpers';

/** Position of the n-th occurrence of `needle` in the document, plus `delta` characters. */
function positionOf(document: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = document.getText().indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} not found`);
  return document.positionAt(index + delta);
}

const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('Language server (MLproject / MLmodel)', function () {
  this.timeout(60_000);

  before(async () => {
    await activateExtension();
  });

  it('shows the broken demo project’s mistakes as diagnostics', async () => {
    const editor = await openWorkspaceFile('broken-project/MLproject');
    assert.equal(editor.document.languageId, 'mlproject');
    const uri = editor.document.uri;
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mlflow');
        return found.some((d) => d.code === 'undeclared-placeholder') ? found : undefined;
      },
      'mlflow diagnostics for broken-project/MLproject',
      30_000,
    );
    const placeholder = diagnostics.find((d) => d.code === 'undeclared-placeholder')!;
    assert.equal(placeholder.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(placeholder.range), '{batch_size}');
    const malformed = diagnostics.filter((d) => d.code === 'malformed-parameter-key').map((d) => editor.document.getText(d.range));
    assert.deepEqual(malformed.sort(), ['default:10', 'type:int']);
  });

  it('offers parameter types in completion', async () => {
    const editor = await openWorkspaceFile('MLproject');
    const position = positionOf(editor.document, 'type: float', 'type: '.length);
    const list = await waitFor(
      async () => {
        const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
        return result.items.some((i) => i.label === 'uri') ? result : undefined;
      },
      'parameter type completion',
      30_000,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const type of ['string', 'float', 'path', 'uri']) assert.ok(labels.includes(type), `${type} in ${labels.join(', ')}`);
  });

  it('documents keys and placeholders on hover', async () => {
    const editor = await openWorkspaceFile('MLproject');
    const onKey = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      positionOf(editor.document, 'python_env:', 2),
    );
    const keyText = hoverText(onKey);
    assert.match(keyText, /python_env\.yaml/);
    assert.match(keyText, /mlflow\.org\/docs/);
    const onPlaceholder = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      positionOf(editor.document, '{l1_ratio}', 2),
    );
    assert.match(hoverText(onPlaceholder), /Default: `0\.5`/);
  });

  it('links the files the project names and highlights a parameter’s uses', async () => {
    const editor = await openWorkspaceFile('MLproject');
    const { document } = editor;
    const links = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
        return found.length ? found : undefined;
      },
      'document links in MLproject',
      30_000,
    );
    const folder = vscode.Uri.joinPath(document.uri, '..');
    // `data` (the path default of validate) is a folder: not linked.
    assert.deepEqual(
      links.map((l) => [document.getText(l.range), l.target?.toString()]),
      [
        ['python_env.yaml', vscode.Uri.joinPath(folder, 'python_env.yaml').toString()],
        ['train.py', vscode.Uri.joinPath(folder, 'train.py').toString()],
        ['train.py', vscode.Uri.joinPath(folder, 'train.py').toString()],
      ],
    );
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>(
      'vscode.executeDocumentHighlights',
      document.uri,
      positionOf(document, '{alpha}', 2),
    );
    assert.deepEqual(
      highlights.map((h) => [document.getText(h.range), h.kind]),
      [
        ['alpha', vscode.DocumentHighlightKind.Write],
        ['{alpha}', vscode.DocumentHighlightKind.Read],
      ],
    );
  });

  it('shows the Run lenses once their command exists, and none while it does not', async () => {
    const editor = await openWorkspaceFile('MLproject');
    const lensesFor = async (command: string) => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const lens of lenses) assert.ok(!lens.command || registered.has(lens.command.command), `lens for unregistered ${lens.command?.command}`);
      return lenses.filter((l) => l.command?.command === command).map((l) => (l.command!.arguments![0] as { entryPoint: string }).entryPoint);
    };
    const RUN = 'mlflow.runEntryPoint';
    // Until the run feature registers it, a stand-in makes the server's lenses pass the client's filter.
    const standIn = (await vscode.commands.getCommands(true)).includes(RUN) ? undefined : vscode.commands.registerCommand(RUN, () => undefined);
    try {
      assert.deepEqual(await lensesFor(RUN), ['main', 'main', 'validate', 'validate']);
    } finally {
      standIn?.dispose();
    }
    if (standIn) assert.deepEqual(await lensesFor(RUN), [], 'lenses of a command nobody registered are filtered out');
  });
});
