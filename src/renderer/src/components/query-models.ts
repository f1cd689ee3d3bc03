/**
 * The query editors' models by key (a workbench tab), apart from Monaco itself, so a screen can
 * let go of a closed tab's model without loading the editor.
 */
export interface DisposableModel {
  dispose(): void;
  isDisposed(): boolean;
}

const models = new Map<string, DisposableModel>();

export function keptModel<M extends DisposableModel>(key: string): M | undefined {
  const model = models.get(key);
  return model && !model.isDisposed() ? (model as M) : undefined;
}

export function keepModel(key: string, model: DisposableModel): void {
  models.set(key, model);
}

/** Lets go of a closed tab's model: its text and undo history. */
export function disposeQueryModel(key: string): void {
  models.get(key)?.dispose();
  models.delete(key);
}
