import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real varnishd running the repository's VCL (deploy/varnish/dispatch.vcl)
 * with its example backends pointed elsewhere: used by the VCL's tests and by
 * `npm run stack:test`.
 */
export const VCL_SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/varnish/dispatch.vcl');

const VMOD_DIRS = ['/usr/lib/x86_64-linux-gnu/varnish/vmods', '/usr/lib/aarch64-linux-gnu/varnish/vmods', '/usr/lib/varnish/vmods', '/usr/lib64/varnish/vmods'];

/** Whether varnishd and vmod_xkey (Debian: varnish and varnish-modules) are installed. */
export function varnishInstalled(): boolean {
  const varnishd = spawnSync('sh', ['-c', 'command -v varnishd'], { stdio: 'ignore' }).status === 0;
  return varnishd && VMOD_DIRS.some((d) => fs.existsSync(path.join(d, 'libvmod_xkey.so')));
}

/** The VCL with its `backend dispatchN { … }` blocks and `add_backend` lines replaced by one backend per port. */
export function vclFor(source: string, ports: number[]): string {
  const probe = /\n\s*\.probe = (\w+);/.exec(source)?.[1] ?? 'dispatch_ready';
  const backends = ports
    .map((port, i) => `backend dispatch${i + 1} {\n  .host = "127.0.0.1";\n  .port = "${port}";\n  .probe = ${probe};\n  .connect_timeout = 1s;\n  .first_byte_timeout = 30s;\n}\n`)
    .join('\n');
  const adds = ports.map((_, i) => `  dispatch.add_backend(dispatch${i + 1});`).join('\n');
  const out = source
    .replace(/\nbackend dispatch\d+ \{[^}]*\}\n/g, '\n')
    .replace(/(\nacl purgers)/, `\n${backends}$1`)
    .replace(/(\n\s*dispatch\.add_backend\(dispatch\d+\);)+/, `\n${adds}`);
  if (!out.includes(`.port = "${ports[0]}"`) || !out.includes(`add_backend(dispatch${ports.length});`)) {
    throw new Error('deploy/varnish/dispatch.vcl: could not point its backends elsewhere (expected "backend dispatchN { … }" blocks and add_backend lines)');
  }
  return out;
}

export interface VarnishProcess {
  url: string;
  workDir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `varnishd -F` on 127.0.0.1:`port` with the VCL pointed at
 * `backendPorts`, its working directory under `dir` (which must be readable by
 * varnishd's unprivileged worker user), 64 MB of memory, no admin port.
 * Resolves once it answers HTTP.
 */
export async function startVarnish(dir: string, port: number, backendPorts: number[], env: NodeJS.ProcessEnv = process.env): Promise<VarnishProcess> {
  fs.chmodSync(dir, 0o755);
  const vclPath = path.join(dir, 'dispatch.vcl');
  fs.writeFileSync(vclPath, vclFor(fs.readFileSync(VCL_SOURCE, 'utf8'), backendPorts), { mode: 0o644 });
  const workDir = path.join(dir, 'varnish');
  let output = '';
  const proc = spawn('varnishd', ['-F', '-f', vclPath, '-a', `127.0.0.1:${port}`, '-T', 'none', '-n', workDir, '-s', 'malloc,64m'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`varnishd exited (${proc.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      break; // any answer: varnishd listens (the backends' health is the caller's to wait for)
    } catch {
      if (Date.now() > until) throw new Error(`varnishd did not answer within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url, workDir, proc,
    output: () => output,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', () => { clearTimeout(timer); resolve(); });
      proc.kill('SIGTERM');
    }),
  };
}

export interface VarnishStats {
  backendReq: number;
  cacheHit: number;
  cacheMiss: number;
  cacheHitpass: number;
  cacheHitmiss: number;
  /** Backend requests by backend name (dispatch1, dispatch2, …), over every VCL loaded. */
  perBackend: Record<string, number>;
}

/** The counters of varnishstat that say how much reached the app. */
export function varnishStats(workDir: string): VarnishStats {
  const json = JSON.parse(execFileSync('varnishstat', ['-n', workDir, '-1', '-j'], { encoding: 'utf8' })) as { counters?: Record<string, { value: number }> } & Record<string, { value: number }>;
  const counters = json.counters ?? json; // varnishstat 6.5+ nests them under "counters"
  const value = (name: string) => counters[name]?.value ?? 0;
  const perBackend: Record<string, number> = {};
  for (const [name, c] of Object.entries(counters)) {
    const m = /^VBE\.[^.]+\.(dispatch\d+)\.req$/.exec(name);
    if (m) perBackend[m[1]!] = (perBackend[m[1]!] ?? 0) + c.value;
  }
  return {
    backendReq: value('MAIN.backend_req'), cacheHit: value('MAIN.cache_hit'), cacheMiss: value('MAIN.cache_miss'),
    cacheHitpass: value('MAIN.cache_hitpass'), cacheHitmiss: value('MAIN.cache_hitmiss'), perBackend,
  };
}
