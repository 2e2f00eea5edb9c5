/**
 * Checks docker-compose.yml without a Docker engine: `docker compose config` when the client has the
 * compose plugin, and always a YAML parse plus the services and wiring the deployment needs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-ui', 'codec-server', 'worker'];

const file = 'docker-compose.yml';
const doc = parse(readFileSync(file, 'utf8')) as { services?: Record<string, Record<string, unknown>> };
const services = doc.services ?? {};
const missing = REQUIRED_SERVICES.filter((s) => !(s in services));
if (missing.length) {
  console.error(`${file}: missing services ${missing.join(', ')}`);
  process.exit(1);
}
const worker = services.worker as { build?: unknown; environment?: Record<string, string> };
if (!worker.build) {
  console.error(`${file}: the worker must be built from this repository (build:)`);
  process.exit(1);
}
if (!String(worker.environment?.TEMPORAL_ADDRESS ?? '').startsWith('temporal:')) {
  console.error(`${file}: the worker must reach the temporal service (TEMPORAL_ADDRESS=temporal:7233)`);
  process.exit(1);
}

// The UI decodes through the codec-server service, on the port that service publishes.
type Service = { environment?: Record<string, string | number>; ports?: string[]; command?: string[] };
const ui = services['temporal-ui'] as Service;
const codec = services['codec-server'] as Service;
const endpoint = String(ui.environment?.TEMPORAL_CODEC_ENDPOINT ?? '');
const endpointPort = /:(\d+)\}?$/.exec(endpoint)?.[1];
const published = (codec.ports ?? []).map((p) => String(p).split(':').slice(-2)[0]);
if (!endpointPort || !published.includes(endpointPort)) {
  console.error(`${file}: temporal-ui's TEMPORAL_CODEC_ENDPOINT (${endpoint}) must reach the codec-server's published port (${published.join(', ') || 'none'})`);
  process.exit(1);
}
if (!codec.command?.join(' ').includes('dist/workers/codec-server.js')) {
  console.error(`${file}: codec-server must run dist/workers/codec-server.js`);
  process.exit(1);
}

const compose = spawnSync('docker', ['compose', '-f', file, 'config', '--quiet'], { encoding: 'utf8' });
if (compose.status === 0) console.log(`${file}: docker compose config OK; services: ${Object.keys(services).join(', ')}`);
else console.log(`${file}: parsed OK (docker compose unavailable here); services: ${Object.keys(services).join(', ')}`);
