// The app's main-side services in a process of their own, for the browser tests that kill "the
// app" (scenario 5): e2e/support/main-process.ts forks this file under tsx, sends it a data dir and
// the profile of a devnet that lives in the test process, and bridges a page to it. It answers the
// bridge's requests through the real router (so every error, typed or not, crosses as the code and
// message the renderer would get from Electron's main) and forwards main's events.
//
// Only a test arms `killAfter`: once that request's handler has finished its work (eth.send: the
// raw transaction is at the node; exit.outbox.markSent: the outbox file is written), this process
// SIGKILLs itself before it answers, the way a crash or a power cut ends the app.
import { createNativeRecoverer } from '../../src/main/crypto/native-recoverer';
import { dispatch } from '../../src/main/ipc/router';
import { startAppOn } from '../../src/main/wallet/testing/app';
import type { HostMessage, ParentMessage } from './main-protocol';

function send(message: HostMessage): void {
  process.send?.(message);
}

async function start(m: Extract<ParentMessage, { type: 'start' }>): Promise<void> {
  const recoverer = createNativeRecoverer();
  const { services, table } = await startAppOn(m.dataDir, {
    // The devnet belongs to the test process and outlives this one.
    launchDevnet: () => Promise.resolve({ profile: m.profile, stop: () => Promise.resolve() }),
    recoverer,
    log: (line) => process.stderr.write(`[main-host] ${line}\n`),
  });
  if (!services.network()) {
    send({ type: 'failed', message: services.failure() ?? 'the network did not start' });
    await services.stop();
    return;
  }
  services.events.subscribe((name, payload) => send({ type: 'event', name, payload }));
  let calls = 0;
  process.on('message', (raw: ParentMessage) => {
    if (raw.type === 'stop') {
      void services.stop().finally(() => process.exit(0));
      return;
    }
    if (raw.type !== 'request') return;
    void dispatch(table, raw.method, raw.params, {
      onInternalError: (method, error) =>
        process.stderr.write(`[main-host] ${method} failed: ${String(error)}\n`),
    }).then((response) => {
      if (m.killAfter && raw.method === m.killAfter.method && ++calls === m.killAfter.count)
        process.kill(process.pid, 'SIGKILL');
      send({ type: 'response', id: raw.id, response });
    });
  });
  send({ type: 'ready' });
}

process.once('message', (m: ParentMessage) => {
  if (m.type !== 'start') return;
  start(m).catch((error: unknown) =>
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The test process gone (its IPC channel closed): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
