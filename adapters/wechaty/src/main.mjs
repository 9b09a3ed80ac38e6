// The bridge as a service: configuration from the environment (secrets are never logged), a
// Wechaty bot with the configured puppet, the spool, the sender and the HTTP side.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { WechatyBuilder } from 'wechaty';

import { Bridge } from './bridge.mjs';
import { createOutboundServer, SentNotices } from './outbound.mjs';
import { Sender } from './sender.mjs';
import { Spool } from './spool.mjs';

function setting(env, name, fallback) {
  const value = env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new Error(`${name} is not set`);
    return fallback;
  }
  return value;
}

export async function startBridge({ bot, env = process.env, log = console } = {}) {
  const url = setting(env, 'LEDGERBOT_URL', 'http://127.0.0.1:8080').replace(/\/$/, '');
  const secret = setting(env, 'LEDGERBOT_GENERIC_SECRET');
  const [host, port] = setting(env, 'BRIDGE_LISTEN', '127.0.0.1:8090').split(':');
  const stateDir = setting(env, 'BRIDGE_STATE_DIR', 'var/wechaty');
  const filter = setting(env, 'ROOM_TOPIC_FILTER', '');
  await mkdir(stateDir, { recursive: true });

  const store = new Spool(join(stateDir, 'spool'));
  await store.init();
  const sender = new Sender({ spool: store, url, secret, log,
    eventPath: setting(env, 'LEDGERBOT_EVENT_PATH', '/hooks/generic'),
    mediaPath: setting(env, 'LEDGERBOT_MEDIA_PATH', '/hooks/generic/media') });
  const sentNotices = new SentNotices(stateDir);
  await sentNotices.init();
  const wechaty = bot ?? WechatyBuilder.build({ name: 'ledgerbot-bridge', puppet: setting(env, 'WECHATY_PUPPET', 'wechaty-puppet-wechat4u') });
  const bridge = new Bridge(wechaty, {
    store, sender, log,
    snapshotMinutes: Number(setting(env, 'SNAPSHOT_MINUTES', '60')),
    snapshotDelayMs: Number(setting(env, 'SNAPSHOT_DELAY_MS', '5000')),
    sendIntervalMs: Number(setting(env, 'SEND_MIN_INTERVAL_MS', '2000')),
    roomFilter: filter ? new RegExp(filter) : null,
  });
  const server = createOutboundServer({
    secret, sentNotices, log,
    deliver: (notice) => bridge.deliver(notice),
    health: () => bridge.health(),
    qr: () => bridge.qrCode,
  });
  await new Promise((resolve) => server.listen(Number(port), host, resolve));
  log.info(`bridge listening on http://${host}:${server.address().port} (notices, /healthz, /qr); posting to ${url}`);
  const sending = sender.run();
  await bridge.start();
  return {
    bridge, server, sender, store,
    port: server.address().port,
    async stop() {
      await bridge.stop();
      sender.stop();
      await sending;
      // ledgerbot keeps its connection to /notices alive between notices: close it too, or
      // close() would wait for it for ever.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startBridge().then((running) => {
    const stop = () => running.stop().then(() => process.exit(0), () => process.exit(1));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (error) => {
    console.error(`bridge failed to start: ${error.message}`);
    process.exit(1);
  });
}
