/** Production build: bundles the workflows once so workers start without webpack (NODE_ENV=production). */
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../integrations/codec/data-converter';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

async function main(): Promise<void> {
  const out = resolve(process.env.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // Failure messages travel encrypted like every other payload (see integrations/codec).
    failureConverterPath: FAILURE_CONVERTER_PATH,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`Workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
