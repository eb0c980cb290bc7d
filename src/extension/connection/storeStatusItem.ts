import * as vscode from 'vscode';
import type { StoreConnections, StoreSession } from './storeConnections';

const STATE_ICONS: Record<StoreSession['state'], string> = {
  opening: '$(database)',
  loading: '$(loading~spin)',
  connected: '$(database)',
  error: '$(error)',
  unauthorized: '$(key)',
};

/** The current store and its state; a click switches store. */
export function registerStoreStatusItem(connections: StoreConnections): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mlflow.store', vscode.StatusBarAlignment.Left, 50);
  item.name = 'MLflow Store';
  item.command = 'mlflow.selectStore';

  const update = () => {
    const sessions = connections.sessions;
    if (!connections.resolved) {
      item.hide();
      return;
    }
    if (sessions.length === 0) {
      item.text = '$(database) MLflow: no store';
      item.tooltip = 'No MLflow store found. Click to pick an mlruns folder, an mlflow.db or a tracking server.';
      item.backgroundColor = undefined;
      item.show();
      return;
    }
    const worst =
      sessions.find((s) => s.state === 'unauthorized') ??
      sessions.find((s) => s.state === 'error') ??
      sessions.find((s) => s.state === 'loading') ??
      sessions[0];
    const label = sessions.length === 1 ? sessions[0].label : `${sessions.length} stores`;
    item.text = `${STATE_ICONS[worst.state]} ${label}`;
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.appendMarkdown('**MLflow store**\n\n');
    for (const s of sessions) {
      tooltip.appendMarkdown(`- ${STATE_ICONS[s.state]} `);
      tooltip.appendText(`${s.label} — ${describeState(s)} (${s.kind}, from ${s.origin})`);
      tooltip.appendMarkdown('\n');
    }
    tooltip.appendMarkdown('\nClick to switch store.');
    item.tooltip = tooltip;
    item.backgroundColor = worst.state === 'error' || worst.state === 'unauthorized' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: `MLflow store ${label}: ${describeState(worst)}` };
    item.show();
  };

  update();
  return vscode.Disposable.from(item, connections.onDidChangeSessions(update), connections.onDidChangeState(update));
}

function describeState(session: StoreSession): string {
  switch (session.state) {
    case 'opening':
      return 'not opened yet';
    case 'loading':
      return 'loading';
    case 'connected':
      return 'connected';
    case 'unauthorized':
      return 'needs credentials';
    case 'error':
      return `error: ${session.error ?? 'unknown'}`;
  }
}
