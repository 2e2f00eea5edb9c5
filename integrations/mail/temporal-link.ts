/** The Temporal UI page of one workflow run, where ops see its history, retry it or cancel it. */
import type { TemporalUi } from './report-types';

export function workflowRunUrl(ui: TemporalUi, workflowId: string, runId: string): string {
  const base = ui.baseUrl.replace(/\/+$/, '');
  const segment = encodeURIComponent;
  return `${base}/namespaces/${segment(ui.namespace)}/workflows/${segment(workflowId)}/${segment(runId)}/history`;
}
