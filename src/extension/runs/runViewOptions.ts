import * as vscode from 'vscode';
import { onDidChangeSettings, readSettings } from '../config';
import { DEFAULT_SORT, describeSort, isDefaultSort, type RunSort } from '../explorer/model/sorting';

const FILTER_KEY = 'mlflow.runs.filter';
const SORT_KEY = 'mlflow.runs.sort';

/** What a change of the options touches: the runs listed, and with `experiments` the experiments too (deleted ones shown or not). */
export interface RunViewChange {
  experiments: boolean;
}

/**
 * What the Runs view shows: the filter and sort (per workspace), deleted runs and the
 * metric beside each run (settings). A change of what is listed fires `onDidChange` (the
 * view reloads); a change of how runs are labelled fires `onDidChangeLabels` (it redraws).
 */
export class RunViewOptions implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunViewChange>();
  readonly onDidChange = this.changed.event;
  private readonly labelsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeLabels = this.labelsChanged.event;
  private readonly settingsListener: vscode.Disposable;
  private settings = readSettings();

  constructor(private readonly state: vscode.Memento) {
    this.settingsListener = onDidChangeSettings(() => {
      const before = this.settings;
      this.settings = readSettings();
      if (before.showDeletedRuns !== this.settings.showDeletedRuns) {
        this.changed.fire({ experiments: true });
      } else if (before.runsPageSize !== this.settings.runsPageSize) {
        this.changed.fire({ experiments: false });
      } else if (before.runsDescriptionMetric !== this.settings.runsDescriptionMetric) {
        this.labelsChanged.fire();
      }
    });
  }

  get filter(): string {
    return this.state.get<string>(FILTER_KEY) ?? '';
  }

  async setFilter(filter: string): Promise<void> {
    // The memento holds the new value at once; saving it is a round trip to the window, which the
    // view need not wait for.
    const saved = this.state.update(FILTER_KEY, filter.trim() || undefined);
    this.changed.fire({ experiments: false });
    await saved;
  }

  get sort(): RunSort {
    return this.state.get<RunSort>(SORT_KEY) ?? DEFAULT_SORT;
  }

  async setSort(sort: RunSort): Promise<void> {
    const saved = this.state.update(SORT_KEY, isDefaultSort(sort) ? undefined : sort);
    this.changed.fire({ experiments: false });
    await saved;
  }

  get showDeleted(): boolean {
    return this.settings.showDeletedRuns;
  }

  get descriptionMetric(): string {
    return this.settings.runsDescriptionMetric;
  }

  get pageSize(): number {
    return this.settings.runsPageSize;
  }

  /** The view's description: the active filter and a non-default sort. */
  describe(): string | undefined {
    const parts: string[] = [];
    if (this.filter) parts.push(`filter: ${this.filter}`);
    if (!isDefaultSort(this.sort)) parts.push(`sort: ${describeSort(this.sort)}`);
    if (this.showDeleted) parts.push('with deleted');
    return parts.length ? parts.join(' · ') : undefined;
  }

  dispose(): void {
    this.settingsListener.dispose();
    this.changed.dispose();
    this.labelsChanged.dispose();
  }
}
